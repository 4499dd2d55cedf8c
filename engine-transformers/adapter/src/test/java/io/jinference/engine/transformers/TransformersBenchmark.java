package io.jinference.engine.transformers;

import ai.djl.ndarray.NDManager;
import io.jinference.api.LoadRequest;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prefill and decode tokens/s of the engine's decoder on a checkpoint folder, measured like
 * {@code scripts/transformers-reference.py bench} measures transformers: best of 3 runs, greedy decode with the
 * KV cache, same prompt length, threads and dtype. Then continuous batching through the served model: aggregate
 * decode tokens/s of one stream and of {@code BENCH_STREAMS} concurrent streams (best of 3 each). Run by
 * {@code scripts/transformers-bench.sh}.
 */
public final class TransformersBenchmark {
    private static final int RUNS = 3;

    private TransformersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int promptTokens = Integer.parseInt(System.getenv().getOrDefault("BENCH_PROMPT", "128"));
        int decodeTokens = Integer.parseInt(System.getenv().getOrDefault("BENCH_DECODE", "64"));
        int streams = Integer.parseInt(System.getenv().getOrDefault("BENCH_STREAMS", "4"));
        String dtype = System.getenv().getOrDefault("BENCH_DTYPE", "float32");
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "libtorch default");
        // On a thread that ends before the served model loads, so that the model's scheduler thread holds the only
        // OpenMP worker pool, as in a model host (DjlRuntime.callOnPassingThread says why that matters).
        DjlRuntime.callOnPassingThread(() -> {
            decoder(folder, promptTokens, decodeTokens, dtype, threads);
            return null;
        });
        batching(folder, decodeTokens, streams, dtype, threads);
    }

    private static void decoder(Path folder, int promptTokens, int decodeTokens, String dtype, String threads) {
        try (NDManager root = NDManager.newBaseManager();
                DecoderModel model = Checkpoint.loadModel(folder, root, dtype)) {
            long[] prompt = new Random(3).longs(promptTokens, 0, model.config().vocabSize()).toArray();
            double bestPrefill = 0;
            double bestDecode = 0;
            for (int run = 0; run < RUNS; run++) {
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
                    + "\"decode_tokens_per_s\": %.2f}%n", DjlRuntime.describe(), threads, dtype, promptTokens,
                    decodeTokens, bestPrefill, bestDecode);
        }
    }

    /**
     * Streams of a short prompt (16 tokens, so that decoding dominates) each generating {@code decodeTokens} past
     * any end-of-sequence token; the figure is all streams' generated tokens over the wall time.
     */
    private static void batching(Path folder, int decodeTokens, int streams, String dtype, String threads)
            throws Exception {
        Path home = Files.createTempDirectory("jinference-bench");
        TransformersEngine engine = new TransformersEngine(home);
        try {
            LoadRequest request = new LoadRequest("bench", null, null, "none", folder, Map.of("torch_dtype", dtype),
                    List.of());
            TransformersModel model = (TransformersModel) engine.load(request, new JinjavaContext(home));
            ExecutorService pool = Executors.newFixedThreadPool(streams);
            try {
                double single = 0;
                double batched = 0;
                for (int run = 0; run < RUNS; run++) {
                    single = Math.max(single, aggregate(model, pool, 1, decodeTokens, run));
                    batched = Math.max(batched, aggregate(model, pool, streams, decodeTokens, run));
                }
                System.out.printf("{\"engine\": \"Jinference Transformers, continuous batching\", \"threads\": %s, "
                        + "\"dtype\": \"%s\", \"prompt_tokens\": 16, \"decode_tokens\": %d, "
                        + "\"one_stream_tokens_per_s\": %.2f, \"streams\": %d, \"aggregate_tokens_per_s\": %.2f, "
                        + "\"speedup\": %.2f}%n", threads, dtype, decodeTokens, single, streams, batched,
                        batched / single);
            } finally {
                pool.shutdown();
                model.close();
            }
        } finally {
            engine.close();
        }
    }

    private static double aggregate(TransformersModel model, ExecutorService pool, int streams, int decodeTokens,
            int run) throws Exception {
        SamplingParams greedy = new SamplingParams(decodeTokens, 0.0, null, null, null, List.of(), null,
                Map.of("ignore_eos", true));
        TokenSink discard = new TokenSink() {
            @Override
            public void onText(String delta) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            // Byte-level ids below 256 exist in every vocabulary.
            long[] prompt = new Random(100L * run + s).longs(16, 0, 256).toArray();
            running.add(pool.submit(() -> model.generate(prompt, greedy, discard)));
        }
        for (Future<?> stream : running) {
            stream.get();
        }
        return (double) streams * decodeTokens / ((System.nanoTime() - start) / 1e9);
    }
}
