package io.jinference.api;

import java.util.Objects;

/**
 * A function call in a chat message: in an assistant turn of the conversation sent back to the model, or assembled
 * from an engine's {@link ToolCallDelta}s.
 *
 * @param id the call's id, which the {@code tool} message answering it names
 * @param arguments the arguments as JSON text, as OpenAI sends them
 * @since 1.2
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "{}" : arguments;
    }
}
