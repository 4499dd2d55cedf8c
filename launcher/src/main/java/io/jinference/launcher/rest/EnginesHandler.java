package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.HostProfile;
import io.jinference.host.HostProfiles;
import io.jinference.launcher.DecisionJson;
import io.jinference.registry.Decision;
import io.jinference.registry.SelectionRequest;
import io.jinference.registry.Selector;

/**
 * {@code /v1/engines/{model_name}} (Xinference's shape: engine → runnable specs, or why not) and
 * {@code /v1/engines/{model_name}/explain} (the whole decision). The query may name a format, size, quantization,
 * engine and a host profile to ask what could run elsewhere.
 */
final class EnginesHandler {
    private final Selector selector;
    private final HostProfile host;

    EnginesHandler(Selector selector, HostProfile host) {
        this.selector = selector;
        this.host = host;
    }

    void engines(Context ctx) {
        Json.send(ctx, decide(ctx).xinferenceView());
    }

    void explain(Context ctx) {
        Json.send(ctx, DecisionJson.explain(decide(ctx)));
    }

    private Decision decide(Context ctx) {
        SelectionRequest request = new SelectionRequest(ctx.pathParam("model_name"), ctx.queryParam("model_format"),
                ctx.queryParam("model_size_in_billions"), ctx.queryParam("quantization"),
                ctx.queryParam("model_engine"), null);
        String profile = ctx.queryParam("host_profile");
        return selector.decide(request, profile == null || profile.isBlank() ? host : HostProfiles.resolve(profile));
    }
}
