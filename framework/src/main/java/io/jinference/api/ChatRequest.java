package io.jinference.api;

import java.util.List;
import java.util.Objects;

/**
 * A chat completion request. An engine that cannot honour a part of it (tools, a response format, logprobs) must
 * refuse with {@link EngineException.Kind#UNSUPPORTED} naming the parameter, never answer as if it were absent; the
 * host already refuses what the engine's capability does not list among its abilities.
 *
 * @param tools the functions the model may call; empty for none
 * @param toolChoice whether and which tool must be called; {@link ToolChoice#auto()} when not given
 * @param responseFormat the form of the answer; {@link ResponseFormat#text()} when not given
 * @param output logprobs and the like
 */
public record ChatRequest(List<ChatMessage> messages, SamplingParams sampling, List<ToolDefinition> tools,
        ToolChoice toolChoice, ResponseFormat responseFormat, OutputOptions output) {
    public ChatRequest {
        messages = List.copyOf(messages);
        sampling = sampling == null ? SamplingParams.defaults() : sampling;
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolChoice = Objects.requireNonNullElseGet(toolChoice, ToolChoice::auto);
        responseFormat = Objects.requireNonNullElseGet(responseFormat, ResponseFormat::text);
        output = Objects.requireNonNullElseGet(output, OutputOptions::plain);
    }

    public ChatRequest(List<ChatMessage> messages, SamplingParams sampling) {
        this(messages, sampling, List.of(), null, null, null);
    }

    /** True when tools are given and the model may call them. */
    public boolean usesTools() {
        return !tools.isEmpty() && toolChoice.mode() != ToolChoice.Mode.NONE;
    }
}
