package io.jinference.launcher.rest;

import io.jinference.api.ToolCall;
import io.jinference.api.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;

/** The whole calls of an answer, put together from the pieces a generation streamed ({@link ToolCallDelta}). */
final class ToolCallPieces {
    private final List<String> ids = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<StringBuilder> arguments = new ArrayList<>();

    void add(ToolCallDelta delta) {
        while (ids.size() <= delta.index()) {
            ids.add(null);
            names.add(null);
            arguments.add(new StringBuilder());
        }
        if (delta.id() != null) {
            ids.set(delta.index(), delta.id());
        }
        if (delta.name() != null) {
            names.set(delta.index(), delta.name());
        }
        arguments.get(delta.index()).append(delta.arguments());
    }

    /** The calls in index order; an engine that streamed a call without its id or name broke the API's contract. */
    List<ToolCall> calls() {
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null || names.get(i) == null) {
                throw new IllegalStateException("Tool call " + i + " was streamed without its id or name");
            }
            calls.add(new ToolCall(ids.get(i), names.get(i), arguments.get(i).toString()));
        }
        return calls;
    }
}
