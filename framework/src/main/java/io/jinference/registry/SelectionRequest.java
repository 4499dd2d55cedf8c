package io.jinference.registry;

/**
 * What a user asks for; every field but the model name may be null (= not given).
 *
 * @param engine an engine name, compared case-insensitively
 * @param engineVersion an exact version ({@code 0.11.0}) or an OSGi range ({@code [0.10,0.12)})
 */
public record SelectionRequest(String modelName, String format, String size, String quantization, String engine,
        String engineVersion) {

    public static SelectionRequest of(String modelName) {
        return new SelectionRequest(modelName, null, null, null, null, null);
    }
}
