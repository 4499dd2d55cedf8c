package io.jinference.engine.transformers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jinference.api.EngineException;

/**
 * Rotary embedding frequencies: {@code rope_theta} and the {@code rope_scaling} variants this engine implements
 * (none/"default", "linear", "llama3"), computed exactly as transformers' {@code ROPE_INIT_FUNCTIONS} do.
 */
record RopeScaling(double theta, String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions, int dim) {

    static RopeScaling parse(JsonObject config, int headDim) {
        double theta = ModelConfig.optionalDouble(config, "rope_theta", 10000.0);
        JsonElement scaling = config.get("rope_scaling");
        if (scaling == null || !scaling.isJsonObject()) {
            return new RopeScaling(theta, "default", 1, 0, 0, 0, headDim);
        }
        JsonObject s = scaling.getAsJsonObject();
        String type = ModelConfig.optionalString(s, "rope_type");
        if (type == null) {
            type = ModelConfig.optionalString(s, "type");
        }
        type = type == null ? "default" : type;
        return switch (type) {
            case "default" -> new RopeScaling(theta, type, 1, 0, 0, 0, headDim);
            case "linear" -> new RopeScaling(theta, type, ModelConfig.optionalDouble(s, "factor", 1), 0, 0, 0, headDim);
            case "llama3" -> new RopeScaling(theta, type, ModelConfig.optionalDouble(s, "factor", 8),
                    ModelConfig.optionalDouble(s, "low_freq_factor", 1),
                    ModelConfig.optionalDouble(s, "high_freq_factor", 4),
                    ModelConfig.optionalInt(s, "original_max_position_embeddings", 8192), headDim);
            default -> throw new EngineException(EngineException.Kind.LOAD_FAILED, "config.json asks for rope_scaling type '"
                    + type + "', which the Transformers engine does not implement (it has default, linear and llama3)");
        };
    }

    /** The {@code dim / 2} inverse frequencies, in float32 as transformers keeps them. */
    float[] inverseFrequencies() {
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / dim;
            inv[i] = (float) (1.0 / Math.pow(theta, exponent));
        }
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / factor);
                }
            }
            case "llama3" -> applyLlama3(inv);
            default -> {
            }
        }
        return inv;
    }

    /** Llama 3.1's scaling: long wavelengths divided by {@code factor}, short ones kept, the band between blended. */
    private void applyLlama3(float[] inv) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            double scaled = wavelen > lowFreqWavelen ? inv[i] / factor : inv[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inv[i] = (float) scaled;
        }
    }
}
