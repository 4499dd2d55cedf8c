package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.HostProfile;
import io.jinference.host.HostProfiles;
import io.jinference.launcher.DecisionJson;
import io.jinference.registry.Decision;
import io.jinference.registry.EngineDescriptor;
import io.jinference.registry.EngineRegistry;
import io.jinference.registry.SelectionRequest;
import io.jinference.registry.Selector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/engines/{model_name}} (Xinference's shape: engine → runnable specs, or why not) and
 * {@code /v1/engines/{model_name}/explain} (the whole decision). The query may name a format, size, quantization,
 * engine and a host profile to ask what could run elsewhere.
 */
final class EnginesHandler {
    private final Selector selector;
    private final EngineRegistry registry;
    private final HostProfile host;

    EnginesHandler(Selector selector, EngineRegistry registry, HostProfile host) {
        this.selector = selector;
        this.registry = registry;
        this.host = host;
    }

    /** {@code GET /v1/models/vllm-supported}: the HF architectures installed vLLM bundles declare, per ability. */
    void vllmSupported(Context ctx) {
        Map<String, Set<String>> supported = new LinkedHashMap<>();
        supported.put("chat", new TreeSet<>());
        supported.put("generate", new TreeSet<>());
        for (EngineDescriptor descriptor : registry.descriptors()) {
            if (descriptor.engine().equalsIgnoreCase("vLLM")) {
                supported.forEach((ability, architectures) -> {
                    if (descriptor.abilities().contains(ability)) {
                        architectures.addAll(descriptor.architectures());
                    }
                });
            }
        }
        Json.send(ctx, supported);
    }

    void engines(Context ctx) {
        Json.send(ctx, decide(ctx).xinferenceView());
    }

    /**
     * xinference-client's {@code query_engine_by_model_name(name)} asks with the model type ({@code LLM} by default);
     * the catalog holds LLM families only, so another type has no engines to list.
     */
    void enginesOfType(Context ctx) {
        String type = ctx.pathParam("model_type");
        if (!type.equalsIgnoreCase("LLM")) {
            throw new ApiError(404, "No engines for model type " + type + ": Jinference's catalog holds LLMs only",
                    "model_type");
        }
        engines(ctx);
    }

    void explain(Context ctx) {
        Json.send(ctx, DecisionJson.explain(decide(ctx)));
    }

    private Decision decide(Context ctx) {
        String backend = ctx.queryParam("backend") != null ? ctx.queryParam("backend")
                : ctx.queryParam(SelectionRequest.BACKEND_KEY);
        SelectionRequest request = new SelectionRequest(ctx.pathParam("model_name"), ctx.queryParam("model_format"),
                ctx.queryParam("model_size_in_billions"), ctx.queryParam("quantization"),
                ctx.queryParam("model_engine"), null, backend);
        String profile = ctx.queryParam("host_profile");
        return selector.decide(request, profile == null || profile.isBlank() ? host : requestedHost(profile.trim()));
    }

    /**
     * A preset name or inline JSON, never a file: a path here would let any caller probe the server's files (and
     * read their first token back in the parse error).
     */
    private static HostProfile requestedHost(String profile) {
        if (profile.startsWith("{")) {
            return HostProfiles.parse(profile);
        }
        return HostProfiles.preset(profile).orElseThrow(() -> ApiError.badRequest("Unknown host_profile: use one of "
                + String.join(", ", HostProfiles.presetNames()) + ", or inline JSON such as "
                + "{\"os\": \"linux\", \"arch\": \"x86_64\"}; files are not read over REST"));
    }
}
