package io.jinference.api;

import java.util.List;
import java.util.Objects;

/**
 * A plain text completion request: one or several prompts, each answered by its own choice.
 *
 * @param prompts at least one
 * @param responseFormat the form of the answer; {@link ResponseFormat#text()} when not given
 * @param output logprobs, echo
 */
public record CompletionRequest(List<String> prompts, SamplingParams sampling, ResponseFormat responseFormat,
        OutputOptions output) {
    public CompletionRequest {
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a completion request has at least one prompt");
        }
        sampling = sampling == null ? SamplingParams.defaults() : sampling;
        responseFormat = Objects.requireNonNullElseGet(responseFormat, ResponseFormat::text);
        output = Objects.requireNonNullElseGet(output, OutputOptions::plain);
    }

    public CompletionRequest(String prompt, SamplingParams sampling) {
        this(List.of(Objects.requireNonNull(prompt, "prompt")), sampling, null, null);
    }

    /** The first prompt: the only one of a single-prompt request. */
    public String prompt() {
        return prompts.get(0);
    }
}
