package io.jinference.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where models come from and where they go, read from the environment variables that huggingface_hub and modelscope
 * read, so that every tool on the machine shares one cache:
 * {@code HF_HUB_CACHE} (else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}), {@code HF_ENDPOINT} (a
 * mirror), {@code HF_TOKEN} (else the token file {@code $HF_HOME/token}), {@code HF_HUB_OFFLINE};
 * {@code MODELSCOPE_CACHE} (else {@code ~/.cache/modelscope/hub}), {@code MODELSCOPE_DOMAIN},
 * {@code MODELSCOPE_API_TOKEN}; and {@code JINFERENCE_MODEL_SRC} ({@code huggingface} or {@code modelscope}: the hub
 * preferred when a spec names both, like Xinference's {@code XINFERENCE_MODEL_SRC}).
 */
public record HubSettings(Path hfCache, URI hfEndpoint, String hfToken, boolean offline, Path modelScopeCache,
        URI modelScopeEndpoint, String modelScopeToken, String preferredHub) {

    public static final String HUGGINGFACE = "huggingface";
    public static final String MODELSCOPE = "modelscope";
    private static final Set<String> TRUE_VALUES = Set.of("1", "on", "yes", "true");

    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public static HubSettings fromEnvironment(Map<String, String> env, Path userHome) {
        Path hfHome = path(env.get("HF_HOME"), userHome.resolve(".cache").resolve("huggingface"));
        Path hfCache = path(env.get("HF_HUB_CACHE"), path(env.get("HUGGINGFACE_HUB_CACHE"), hfHome.resolve("hub")));
        String token = blankToNull(env.get("HF_TOKEN"));
        if (token == null) {
            token = tokenFile(path(env.get("HF_TOKEN_PATH"), hfHome.resolve("token")));
        }
        boolean offline = TRUE_VALUES.contains(env.getOrDefault("HF_HUB_OFFLINE", "").trim().toLowerCase(Locale.ROOT));
        Path modelScopeCache = path(env.get("MODELSCOPE_CACHE"),
                userHome.resolve(".cache").resolve("modelscope").resolve("hub"));
        String preferred = env.getOrDefault("JINFERENCE_MODEL_SRC", HUGGINGFACE).trim().toLowerCase(Locale.ROOT);
        if (!preferred.equals(HUGGINGFACE) && !preferred.equals(MODELSCOPE)) {
            throw new IllegalArgumentException("JINFERENCE_MODEL_SRC must be huggingface or modelscope, got "
                    + preferred);
        }
        return new HubSettings(hfCache, endpoint(env.get("HF_ENDPOINT"), "https://huggingface.co"), token, offline,
                modelScopeCache, endpoint(env.get("MODELSCOPE_DOMAIN"), "https://www.modelscope.cn"),
                blankToNull(env.get("MODELSCOPE_API_TOKEN")), preferred);
    }

    /** The same settings with another Hugging Face endpoint and cache (tests, and {@code jinf download --endpoint}). */
    public HubSettings withHuggingFace(URI endpoint, Path cache) {
        return new HubSettings(cache, endpoint, hfToken, offline, modelScopeCache, modelScopeEndpoint,
                modelScopeToken, preferredHub);
    }

    public HubSettings withOffline(boolean offlineMode) {
        return new HubSettings(hfCache, hfEndpoint, hfToken, offlineMode, modelScopeCache, modelScopeEndpoint,
                modelScopeToken, preferredHub);
    }

    public HubSettings withModelScope(URI endpoint, Path cache) {
        return new HubSettings(hfCache, hfEndpoint, hfToken, offline, cache, endpoint, modelScopeToken, preferredHub);
    }

    private static URI endpoint(String value, String fallback) {
        String text = blankToNull(value) == null ? fallback : value.trim();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri = URI.create(text);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("A hub endpoint must be an http(s) URL, got " + value);
        }
        return uri;
    }

    private static Path path(String value, Path fallback) {
        return blankToNull(value) == null ? fallback : Path.of(value.trim());
    }

    private static String tokenFile(Path file) {
        try {
            return Files.isRegularFile(file) ? blankToNull(Files.readString(file)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
