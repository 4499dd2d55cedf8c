package io.jinference.tck;

import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Generation;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import java.util.List;

/** The abilities the kit exercises, by the name the capability's {@code abilities} list uses. */
enum Ability {
    CHAT("chat"),
    GENERATE("generate"),
    EMBED("embed");

    private final String capabilityName;

    Ability(String capabilityName) {
        this.capabilityName = capabilityName;
    }

    String capabilityName() {
        return capabilityName;
    }

    /** Calls this ability once with a small request; for EMBED the sink and sampling are ignored. */
    void invoke(RunningModel model, String prompt, SamplingParams sampling, TokenSink sink) {
        switch (this) {
            case CHAT, GENERATE -> generate(model, prompt, sampling, sink);
            case EMBED -> model.embed(new EmbeddingRequest(List.of(prompt)));
        }
    }

    /** Runs a chat (one user turn) or a completion, the two generating abilities. */
    Generation generate(RunningModel model, String prompt, SamplingParams sampling, TokenSink sink) {
        return switch (this) {
            case CHAT -> model.chat(new ChatRequest(List.of(new ChatMessage("user", prompt)), sampling), sink);
            case GENERATE -> model.complete(new CompletionRequest(prompt, sampling), sink);
            case EMBED -> throw new IllegalStateException("embeddings do not generate");
        };
    }
}
