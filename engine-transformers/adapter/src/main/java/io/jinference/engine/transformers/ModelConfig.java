package io.jinference.engine.transformers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jinference.api.EngineException;

/**
 * The parts of a Hugging Face {@code config.json} the decoder needs, with the defaults the transformers config
 * classes use when a key is absent.
 */
record ModelConfig(Architecture architecture, int hiddenSize, int intermediateSize, int layers, int heads,
        int kvHeads, int headDim, float rmsNormEps, int vocabSize, int maxPositions, boolean tieWordEmbeddings,
        boolean qkvBias, Integer slidingWindow, RopeScaling rope, String torchDtype) {

    static ModelConfig parse(JsonObject json) {
        String className = architectureName(json);
        Architecture architecture = Architecture.byClassName(className).orElseThrow(() -> new EngineException(
                EngineException.Kind.LOAD_FAILED, "MODEL_UNSUPPORTED: the Transformers engine does not implement "
                        + className + "; it runs " + String.join(", ", Architecture.classNames())));
        int hidden = requiredInt(json, "hidden_size");
        int heads = requiredInt(json, "num_attention_heads");
        int kvHeads = optionalInt(json, "num_key_value_heads", heads);
        int headDim = optionalInt(json, "head_dim", hidden / heads);
        if (heads % kvHeads != 0) {
            throw invalid("num_attention_heads (" + heads + ") is not a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        boolean useSlidingWindow = architecture == Architecture.MISTRAL
                || optionalBoolean(json, "use_sliding_window", false);
        Integer window = useSlidingWindow && isNumber(json, "sliding_window") ? json.get("sliding_window").getAsInt() : null;
        return new ModelConfig(architecture, hidden, requiredInt(json, "intermediate_size"),
                requiredInt(json, "num_hidden_layers"), heads, kvHeads, headDim,
                (float) optionalDouble(json, "rms_norm_eps", 1e-6), requiredInt(json, "vocab_size"),
                optionalInt(json, "max_position_embeddings", 2048),
                optionalBoolean(json, "tie_word_embeddings", false),
                architecture.alwaysQkvBias || optionalBoolean(json, "attention_bias", false), window,
                RopeScaling.parse(json, headDim), dtypeOf(json));
    }

    int groups() {
        return heads / kvHeads;
    }

    /** transformers 4.56 renamed {@code torch_dtype} to {@code dtype}; either may be present. */
    private static String dtypeOf(JsonObject json) {
        String dtype = optionalString(json, "dtype");
        return dtype != null ? dtype : optionalString(json, "torch_dtype");
    }

    private static String architectureName(JsonObject json) {
        JsonElement list = json.get("architectures");
        if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            throw invalid("it has no \"architectures\" entry");
        }
        return list.getAsJsonArray().get(0).getAsString();
    }

    static int requiredInt(JsonObject json, String key) {
        if (!isNumber(json, key)) {
            throw invalid("\"" + key + "\" is missing or not a number");
        }
        return json.get(key).getAsInt();
    }

    static int optionalInt(JsonObject json, String key, int fallback) {
        return isNumber(json, key) ? json.get(key).getAsInt() : fallback;
    }

    static double optionalDouble(JsonObject json, String key, double fallback) {
        return isNumber(json, key) ? json.get(key).getAsDouble() : fallback;
    }

    static boolean optionalBoolean(JsonObject json, String key, boolean fallback) {
        JsonElement value = json.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()
                ? value.getAsBoolean() : fallback;
    }

    static String optionalString(JsonObject json, String key) {
        JsonElement value = json.get(key);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    static boolean isNumber(JsonObject json, String key) {
        JsonElement value = json.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
    }

    static EngineException invalid(String problem) {
        return new EngineException(EngineException.Kind.LOAD_FAILED, "config.json is not usable: " + problem);
    }
}
