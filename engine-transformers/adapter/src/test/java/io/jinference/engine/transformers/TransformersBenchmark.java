package io.jinference.engine.transformers;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Random;

/**
 * Prefill and decode tokens/s of the engine's decoder on a checkpoint folder, measured like
 * {@code scripts/transformers-reference.py bench} measures transformers: best of 3 runs, greedy decode with the
 * KV cache, same prompt length, threads and dtype. Run by {@code scripts/transformers-bench.sh}.
 */
public final class TransformersBenchmark {
    private TransformersBenchmark() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        int promptTokens = Integer.parseInt(System.getenv().getOrDefault("BENCH_PROMPT", "128"));
        int decodeTokens = Integer.parseInt(System.getenv().getOrDefault("BENCH_DECODE", "64"));
        String dtype = System.getenv().getOrDefault("BENCH_DTYPE", "float32");
        DjlRuntime.run(() -> {
            try (NDManager root = NDManager.newBaseManager();
                    DecoderModel model = Checkpoint.loadModel(folder, root, dtype)) {
                long[] prompt = new Random(3).longs(promptTokens, 0, model.config().vocabSize()).toArray();
                double bestPrefill = 0;
                double bestDecode = 0;
                for (int run = 0; run < 3; run++) {
                    try (KvCache cache = model.newCache()) {
                        long start = System.nanoTime();
                        long next;
                        try (NDManager scope = model.newScope()) {
                            next = Sampler.argMax(model.forward(scope, prompt, cache, false).toFloatArray());
                        }
                        double prefill = (System.nanoTime() - start) / 1e9;
                        start = System.nanoTime();
                        for (int i = 0; i < decodeTokens; i++) {
                            try (NDManager scope = model.newScope()) {
                                next = Sampler.argMax(model.forward(scope, new long[] {next}, cache, false).toFloatArray());
                            }
                        }
                        double decode = (System.nanoTime() - start) / 1e9;
                        bestPrefill = Math.max(bestPrefill, promptTokens / prefill);
                        bestDecode = Math.max(bestDecode, decodeTokens / decode);
                    }
                }
                System.out.printf("{\"engine\": \"Jinference Transformers (%s)\", \"threads\": %s, \"dtype\": \"%s\", "
                        + "\"prompt_tokens\": %d, \"decode_tokens\": %d, \"prefill_tokens_per_s\": %.1f, "
                        + "\"decode_tokens_per_s\": %.2f}%n", DjlRuntime.describe(),
                        System.getProperty("ai.djl.pytorch.num_threads", "libtorch default"), dtype, promptTokens,
                        decodeTokens, bestPrefill, bestDecode);
            }
        });
    }
}
