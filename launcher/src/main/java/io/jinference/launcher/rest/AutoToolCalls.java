package io.jinference.launcher.rest;

import io.jinference.api.ChatRequest;
import io.jinference.api.EngineNamespace;
import io.jinference.api.Generation;
import io.jinference.api.RunningModel;
import io.jinference.api.TokenSink;
import io.jinference.launcher.toolcalls.ToolCallFormat;
import io.jinference.launcher.toolcalls.ToolCallingSink;
import io.jinference.runtime.ModelInstance;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tools the model may call ({@code tool_choice} auto) on a model served in this process by an engine that renders
 * them into its chat template but leaves the answer to the host: the engine names the template it applies in its
 * description ({@value #TEMPLATE_KEY}), the template tells the family's tool-call format ({@link ToolCallFormat}),
 * and the host reads the calls out of the generated text ({@link ToolCallingSink}). An engine that parses calls
 * itself names no template and streams {@code ToolCallDelta}s.
 */
final class AutoToolCalls {
    /** The key of an engine's description that holds the Jinja source of the chat template it applies. */
    static final String TEMPLATE_KEY = "chat_template_text";

    private AutoToolCalls() {
    }

    /**
     * The format to read calls in; empty when the request lets the model call no tool, or the engine parses them.
     *
     * @throws ApiError 400 naming {@code tools} when the model's template does not teach the model to call tools
     */
    static Optional<ToolCallFormat> format(ModelInstance instance, RunningModel model, ChatRequest request) {
        if (!request.usesTools() || request.toolChoice().forced()) {
            return Optional.empty();
        }
        if (!(model.describe().get(TEMPLATE_KEY) instanceof String template)) {
            return Optional.empty();
        }
        Optional<ToolCallFormat> format = ToolCallFormat.of(template);
        if (format.isEmpty()) {
            throw ApiError.badParameter("tools", "The parameter tools (with tool_choice auto) cannot be served for "
                    + "model " + instance.uid() + " by the engine " + instance.engineLabel() + ": its chat template "
                    + "does not show the model any tools (it writes neither <tool_call>, [TOOL_CALLS] nor Llama 3's "
                    + "JSON call instructions), so the model has not learned how to call them. "
                    + (instance.engineAbilities().contains(EngineNamespace.ABILITY_STRUCTURED_OUTPUT)
                            ? "Force a call with tool_choice \"required\" or a named function (served through "
                                    + "structured output), or use a model whose template renders tools"
                            : "Use a model whose template renders tools"));
        }
        return format;
    }

    /** One choice's generation, its calls read out of its text when a format is given. */
    static Function<TokenSink, Generation> generation(RunningModel model, ChatRequest request,
            Optional<ToolCallFormat> format) {
        if (format.isEmpty()) {
            return sink -> model.chat(request, sink);
        }
        return sink -> {
            ToolCallingSink calls = new ToolCallingSink(format.get(), sink);
            return calls.finish(model.chat(request, calls));
        };
    }
}
