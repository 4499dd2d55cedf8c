package io.jinference.registry;

/**
 * What a user asks for; every field but the model name may be null (= not given).
 *
 * @param engine an engine name, compared case-insensitively
 * @param engineVersion an exact version ({@code 0.11.0}) or an OSGi range ({@code [0.10,0.12)})
 * @param backend one implementation of the engine ({@code server} or {@code jvm} for llama.cpp), compared
 *        case-insensitively; null lets the registry choose
 */
public record SelectionRequest(String modelName, String format, String size, String quantization, String engine,
        String engineVersion, String backend) {

    /** The launch option and query parameter that pin a backend. */
    public static final String BACKEND_KEY = "model_backend";

    /** A request that leaves the backend to the registry. */
    public SelectionRequest(String modelName, String format, String size, String quantization, String engine,
            String engineVersion) {
        this(modelName, format, size, quantization, engine, engineVersion, null);
    }

    /** The backend a launch pins with the {@value #BACKEND_KEY} option, or null when it pins none. */
    public static String backendOf(java.util.Map<String, Object> launchOptions) {
        Object backend = launchOptions == null ? null : launchOptions.get(BACKEND_KEY);
        return backend == null || backend.toString().isBlank() ? null : backend.toString().trim();
    }

    public static SelectionRequest of(String modelName) {
        return new SelectionRequest(modelName, null, null, null, null, null, null);
    }
}
