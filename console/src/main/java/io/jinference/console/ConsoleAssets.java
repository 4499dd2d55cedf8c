package io.jinference.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, served at {@code /ui/<name>}. Only the names listed here exist: a request's name picks an entry
 * of this table and is never turned into a path, so nothing else of the class path can be read through it.
 */
public final class ConsoleAssets {
    /** The page itself, served at {@code /ui}. */
    public static final String INDEX = "index.html";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry(INDEX, "text/html; charset=utf-8"),
            Map.entry("console.css", "text/css; charset=utf-8"),
            Map.entry("api.js", "text/javascript; charset=utf-8"),
            Map.entry("app.js", "text/javascript; charset=utf-8"),
            Map.entry("engines.js", "text/javascript; charset=utf-8"),
            Map.entry("models.js", "text/javascript; charset=utf-8"),
            Map.entry("chat.js", "text/javascript; charset=utf-8"),
            Map.entry("bundles.js", "text/javascript; charset=utf-8"),
            Map.entry("registrations.js", "text/javascript; charset=utf-8"));

    /** One file: its bytes and content type. */
    public record Asset(byte[] content, String contentType) {
    }

    private ConsoleAssets() {
    }

    /** The named file; empty for any name the console does not have. */
    public static Optional<Asset> find(String name) {
        String type = TYPES.get(name);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("The console's " + name + " is missing from its jar");
            }
            return Optional.of(new Asset(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
