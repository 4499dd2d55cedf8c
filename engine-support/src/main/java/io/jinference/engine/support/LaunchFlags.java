package io.jinference.engine.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jinference.api.EngineException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns launch keys an engine does not interpret itself into its server's command-line flags, the way
 * Xinference passes extra launch kwargs to vLLM: {@code max_num_seqs=8} → {@code --max-num-seqs 8},
 * {@code enforce_eager=true} → {@code --enforce-eager}, {@code false} → nothing, a list → the flag and each value,
 * a map → the flag and its JSON.
 */
public final class LaunchFlags {
    /** Keys the host interprets (placement, replicas, download); never engine flags. */
    public static final Set<String> HOST_KEYS = Set.of("n_gpu", "gpu_idx", "replica", "n_worker", "worker_ip",
            "placement_strategy", "download_hub", "model_path", "model_engine", "model_format", "model_size_in_billions", "quantization",
            "model_uid", "model_name", "model_type", "model_backend");

    private LaunchFlags() {
    }

    /** The flags for every option not in {@code handled} nor a host key, sorted by key so argv is reproducible. */
    public static List<String> passThrough(Map<String, Object> options, Collection<String> handled) {
        List<String> argv = new ArrayList<>();
        for (Map.Entry<String, Object> option : new TreeMap<>(options).entrySet()) {
            String key = option.getKey();
            if (handled.contains(key) || HOST_KEYS.contains(key) || ServerOptions.SUPERVISION_KEYS.contains(key)
                    || option.getValue() == null) {
                continue;
            }
            if (!key.matches("[A-Za-z0-9_-]+")) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                        "Launch option '" + key + "' is not a valid flag name");
            }
            append(argv, "--" + key.replace('_', '-'), option.getValue());
        }
        return argv;
    }

    private static void append(List<String> argv, String flag, Object value) {
        if (value instanceof Boolean bool) {
            if (bool) {
                argv.add(flag);
            }
        } else if (value instanceof Collection<?> values) {
            argv.add(flag);
            values.forEach(item -> argv.add(String.valueOf(item)));
        } else if (value instanceof Map<?, ?> map) {
            argv.add(flag);
            try {
                argv.add(OpenAiJson.MAPPER.writeValueAsString(map));
            } catch (JsonProcessingException e) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Launch option " + flag
                        + " cannot be written as JSON");
            }
        } else {
            argv.add(flag);
            argv.add(String.valueOf(value));
        }
    }
}
