package io.jinference.api;

/** A plain text completion request. */
public record CompletionRequest(String prompt, SamplingParams sampling) {
}
