package io.jinference.launcher.toolcalls;

import java.util.Objects;

/**
 * One function call found in a model's output.
 *
 * @param name the function's name
 * @param arguments the arguments as JSON text, as OpenAI sends them
 */
public record ParsedToolCall(String name, String arguments) {
    public ParsedToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
