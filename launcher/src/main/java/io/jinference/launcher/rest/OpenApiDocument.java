package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI document of the REST API, {@code GET /openapi.json}. It is kept in YAML beside this class
 * ({@code openapi.yaml}: readable, one entry per route) and converted to JSON once, at start; the launcher's
 * {@code OpenApiRoutesTest} checks it against the routes Javalin registered.
 */
public final class OpenApiDocument {
    public static final String RESOURCE = "openapi.yaml";

    private final String json;

    private OpenApiDocument(String json) {
        this.json = json;
    }

    /** Reads the YAML resource; a document that does not parse is a build defect, so it fails the start. */
    public static OpenApiDocument load() {
        return new OpenApiDocument(Json.write(tree()));
    }

    /** The document as a JSON tree. */
    public static JsonNode tree() {
        try (InputStream yaml = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (yaml == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the launcher's resources");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    void serve(Context ctx) {
        ctx.contentType("application/json").result(json);
    }
}
