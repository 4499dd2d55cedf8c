package io.jinference.engine.llamacpp;

import de.kherud.llama.LlamaModel;
import io.jinference.api.EngineException;
import io.jinference.api.ResponseFormat;

/**
 * A response format as the GBNF grammar llama.cpp samples under: llama.cpp's own JSON-Schema-to-grammar converter
 * ({@link LlamaModel#jsonSchemaToGrammar}); {@code json_object} is the schema of any object. A schema the converter
 * cannot handle is the client's 400, naming {@code response_format}.
 */
final class StructuredOutput {
    private StructuredOutput() {
    }

    /** The grammar, or null for free text. */
    static String grammar(ResponseFormat format) {
        return switch (format.type()) {
            case TEXT -> null;
            case JSON_OBJECT -> convert("{\"type\": \"object\"}");
            case JSON_SCHEMA -> convert(PlainJson.write(format.schema()));
        };
    }

    private static String convert(String schema) {
        try {
            return LlamaModel.jsonSchemaToGrammar(schema);
        } catch (RuntimeException e) {
            // java-llama.cpp reports the converter's refusals (an unsupported keyword, a bad $ref) this way
            throw invalid("llama.cpp cannot turn this JSON Schema into a grammar: " + e.getMessage());
        }
    }

    private static EngineException invalid(String why) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, "response_format: " + why);
    }
}
