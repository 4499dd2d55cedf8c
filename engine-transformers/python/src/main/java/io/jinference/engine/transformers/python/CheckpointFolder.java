package io.jinference.engine.transformers.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the backend checks in a Hugging Face checkpoint folder before it starts Python for it, so that a wrong path or
 * an architecture the installed transformers lacks is a clear refusal, not a server that dies while loading.
 *
 * @param architecture the first of {@code config.json}'s {@code architectures}, or null when it names none
 * @param hasChatTemplate whether the checkpoint carries its own chat template
 */
record CheckpointFolder(Path folder, String architecture, boolean hasChatTemplate) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static CheckpointFolder read(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            throw refused("Cannot load the checkpoint: " + folder + " is not a folder (a Hugging Face checkpoint is a"
                    + " folder with config.json, the weights and the tokenizer)");
        }
        JsonNode config = json(folder.resolve("config.json"), true);
        JsonNode architectures = config.path("architectures");
        String architecture = architectures.isArray() && !architectures.isEmpty()
                ? architectures.get(0).asText(null) : null;
        JsonNode tokenizerConfig = json(folder.resolve("tokenizer_config.json"), false);
        boolean template = tokenizerConfig.hasNonNull("chat_template")
                || Files.isRegularFile(folder.resolve("chat_template.jinja"))
                || Files.isRegularFile(folder.resolve("chat_template.json"));
        return new CheckpointFolder(folder, architecture, template);
    }

    private static JsonNode json(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw refused("Cannot load the checkpoint: " + file.getFileName() + " is missing from "
                        + file.getParent());
            }
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw refused("Cannot load the checkpoint: " + file + " does not hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw refused("Cannot load the checkpoint: " + file + " is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static EngineException refused(String message) {
        return new EngineException(EngineException.Kind.LOAD_FAILED, message);
    }
}
