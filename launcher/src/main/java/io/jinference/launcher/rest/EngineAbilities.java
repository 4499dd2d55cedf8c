package io.jinference.launcher.rest;

import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineNamespace;
import io.jinference.api.ResponseFormat;
import io.jinference.runtime.ModelInstance;

/**
 * Refuses, before anything is generated, a request that needs what the model's engine does not declare among its
 * capability's abilities: a 400 naming the parameter and the engine, never an answer that quietly leaves the
 * parameter out.
 */
final class EngineAbilities {
    private EngineAbilities() {
    }

    static void check(ModelInstance model, ChatRequest request) {
        if (request.usesTools()) {
            // A forced choice is served by constraining the answer to the calls' schema (ForcedToolCalls).
            require(model, request.toolChoice().forced() ? EngineNamespace.ABILITY_STRUCTURED_OUTPUT
                    : EngineNamespace.ABILITY_TOOLS, request.toolChoice().forced() ? "tool_choice" : "tools");
        }
        check(model, request.responseFormat());
        if (request.output().logprobs()) {
            require(model, EngineNamespace.ABILITY_LOGPROBS, "logprobs");
        }
    }

    static void check(ModelInstance model, CompletionRequest request) {
        check(model, request.responseFormat());
        if (request.output().logprobs()) {
            require(model, EngineNamespace.ABILITY_LOGPROBS, "logprobs");
        }
        if (request.output().echo()) {
            require(model, EngineNamespace.ABILITY_ECHO, "echo");
        }
    }

    private static void check(ModelInstance model, ResponseFormat format) {
        if (format.structured()) {
            require(model, EngineNamespace.ABILITY_STRUCTURED_OUTPUT, "response_format");
        }
    }

    static void require(ModelInstance model, String ability, String param) {
        if (!model.engineAbilities().contains(ability)) {
            throw ApiError.badParameter(param, "The parameter " + param + " is not supported by the engine "
                    + model.engineLabel() + " that serves model " + model.uid() + ": it lacks the ability '"
                    + ability + "' (its abilities: " + String.join(", ", model.engineAbilities()) + ")");
        }
    }
}
