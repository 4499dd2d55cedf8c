package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/** A greedy run straight on the decoder, keeping every logit row, to compare with transformers' reference. */
record ReferenceRun(float[][] promptLogits, float[][] stepLogits, List<Long> tokens) {

    static ReferenceRun greedy(DecoderModel model, long[] prompt, int steps) {
        return DjlRuntime.call(() -> {
            int vocab = model.config().vocabSize();
            float[][] promptLogits = new float[prompt.length][];
            float[][] stepLogits = new float[steps][];
            List<Long> tokens = new ArrayList<>();
            try (KvCache cache = model.newCache()) {
                long[] input = prompt;
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = model.newScope()) {
                        NDArray logits = model.forward(scope, input, cache, step == 0);
                        float[] flat = logits.toFloatArray();
                        if (step == 0) {
                            for (int i = 0; i < prompt.length; i++) {
                                promptLogits[i] = java.util.Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
                            }
                        }
                        float[] last = java.util.Arrays.copyOfRange(flat, flat.length - vocab, flat.length);
                        stepLogits[step] = last;
                        long next = Sampler.argMax(last);
                        tokens.add(next);
                        input = new long[] {next};
                    }
                }
            }
            return new ReferenceRun(promptLogits, stepLogits, tokens);
        });
    }
}
