package io.jinference.launcher.rest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the model name in an engine server's answer (a JSON document, or whole SSE events) from the server's name
 * to the model's UID, where the two differ (mlx_lm serves every model as {@code default_model}). Only
 * {@code "model": "<server name>"} fields change; every other byte stays as the server wrote it.
 */
final class ModelRename {
    private final Pattern field;
    private final String replacement;

    ModelRename(String serverName, String uid) {
        this.field = Pattern.compile("(\"model\"\\s*:\\s*)" + Pattern.quote(Json.write(serverName)));
        this.replacement = "$1" + Matcher.quoteReplacement(Json.write(uid));
    }

    /** The first {@code length} bytes of {@code utf8}, renamed; they must end on a character boundary. */
    byte[] apply(byte[] utf8, int length) {
        String text = new String(utf8, 0, length, StandardCharsets.UTF_8);
        return field.matcher(text).replaceAll(replacement).getBytes(StandardCharsets.UTF_8);
    }
}
