package io.jinference.metrics;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How many requests wait in a model's engine server for a slot, read from the queue metric each server exposes under
 * its own name. Jinference forwards every request at once, so the engine's queue is the model's queue; this gives it
 * one name across engines ({@code jinference_model_requests_queued}), beside the engines' own families.
 */
final class EngineQueue {
    /** llama-server, vLLM (per served model name, summed) and SGLang. */
    private static final List<String> QUEUE_METRICS = List.of("llamacpp:requests_deferred",
            "vllm:num_requests_waiting", "sglang:num_queue_reqs");

    private EngineQueue() {
    }

    /** The sum of the queue samples in one server's exposition; empty when it exposes none of them. */
    static OptionalDouble waiting(String exposition) {
        double sum = 0;
        boolean found = false;
        for (String raw : exposition.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                continue;
            }
            for (String name : QUEUE_METRICS) {
                if (line.startsWith(name) && line.length() > name.length()
                        && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
