package io.jinference.api;

/**
 * A piece of a tool call an engine streams, as OpenAI streams {@code delta.tool_calls}: the first piece of call
 * {@code index} carries its id and name, later ones only more of the arguments' JSON text.
 *
 * @param index which call of the answer (0 for the first)
 * @param id the call's id; null after its first piece
 * @param name the function's name; null after its first piece
 * @param arguments more of the arguments' JSON text; may be empty
 * @since 1.2
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {
    public ToolCallDelta {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
        arguments = arguments == null ? "" : arguments;
    }
}
