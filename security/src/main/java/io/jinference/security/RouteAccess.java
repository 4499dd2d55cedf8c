package io.jinference.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The route by role table: every REST route, as Javalin registers it ({@code METHOD path-template}), and who may call
 * it. A route missing here is admin only, and the launcher's route matrix test fails until it is listed, so a new
 * route is never open by accident.
 *
 * <p>For {@link Access#MODEL} and {@link Access#LAUNCH} the entry also says where the model's name is.
 */
public final class RouteAccess {

    /** Where a route names its model: a path parameter, or a field of the JSON body (first present wins). */
    public record ModelSource(String pathParam, java.util.List<String> bodyFields) {
        static ModelSource path(String name) {
            return new ModelSource(name, java.util.List.of());
        }

        static ModelSource body(String... fields) {
            return new ModelSource(null, java.util.List.of(fields));
        }
    }

    /** One row of the table. */
    public record Rule(Access access, ModelSource model) {
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        // health and the API description
        put("GET /status", Access.PUBLIC);
        put("GET /openapi.json", Access.PUBLIC);
        // the cluster as Xinference clients probe it on connect
        // xinference-client asks this without a key, to learn whether to send one
        put("GET /v1/cluster/auth", Access.PUBLIC);
        put("GET /v1/cluster/info", Access.ANY_KEY);
        put("GET /v1/cluster/devices", Access.ANY_KEY);
        put("GET /v1/cluster/status", Access.ANY_KEY);
        put("GET /v1/cluster/version", Access.ANY_KEY);
        // a bundle's jar, for another node of the cluster (which sends the cluster key, an admin key)
        put("GET /v1/cluster/bundles/{sha256}", Access.ADMIN);
        put("GET /v1/workers", Access.ANY_KEY);
        put("GET /v1/supervisor", Access.ANY_KEY);
        // inference (OpenAI) and the models a key may use
        put("GET /v1/models", Access.ANY_KEY);
        put("GET /v1/models/{model_uid}", Access.MODEL, ModelSource.path("model_uid"));
        put("GET /v1/models/{model_uid}/progress", Access.MODEL, ModelSource.path("model_uid"));
        put("GET /v1/models/{model_uid}/reload", Access.MODEL, ModelSource.path("model_uid"));
        put("POST /v1/models/{model_uid}/requests/{request_id}/abort", Access.MODEL, ModelSource.path("model_uid"));
        put("GET /v1/models/instances", Access.ANY_KEY);
        put("POST /v1/chat/completions", Access.MODEL, ModelSource.body("model"));
        put("POST /v1/completions", Access.MODEL, ModelSource.body("model"));
        put("POST /v1/embeddings", Access.MODEL, ModelSource.body("model"));
        put("POST /v1/rerank", Access.MODEL, ModelSource.body("model"));
        put("POST /v1/responses", Access.MODEL, ModelSource.body("model"));
        // Ollama's API, a translation over the OpenAI routes above (called with the caller's key)
        put("GET /api/version", Access.ANY_KEY);
        put("GET /api/tags", Access.ANY_KEY);
        put("POST /api/show", Access.MODEL, ModelSource.body("model"));
        put("POST /api/chat", Access.MODEL, ModelSource.body("model"));
        put("POST /api/generate", Access.MODEL, ModelSource.body("model"));
        put("POST /api/embed", Access.MODEL, ModelSource.body("model"));
        // launch and terminate
        put("POST /v1/models", Access.LAUNCH, ModelSource.body("model_uid", "model_name"));
        put("DELETE /v1/models/{model_uid}", Access.LAUNCH, ModelSource.path("model_uid"));
        put("POST /v1/models/{model_uid}/cancel", Access.LAUNCH, ModelSource.path("model_uid"));
        // what could run, and the catalog (read only; a host profile is a preset or inline JSON, never a file)
        put("GET /v1/engines/{model_name}", Access.ANY_KEY);
        put("GET /v1/engines/{model_name}/explain", Access.ANY_KEY);
        put("GET /v1/engines/{model_type}/{model_name}", Access.ANY_KEY);
        put("GET /v1/models/prompts", Access.ANY_KEY);
        put("GET /v1/models/families", Access.ANY_KEY);
        put("GET /v1/models/vllm-supported", Access.ANY_KEY);
        put("GET /v1/model_registrations/{model_type}", Access.ANY_KEY);
        put("GET /v1/model_registrations/{model_type}/{model_name}", Access.ANY_KEY);
        // admin: registrations, engine bundles, the model cache on disk
        put("POST /v1/model_registrations/{model_type}", Access.ADMIN);
        put("DELETE /v1/model_registrations/{model_type}/{model_name}", Access.ADMIN);
        put("GET /v1/engine-bundles", Access.ADMIN);
        put("POST /v1/engine-bundles", Access.ADMIN);
        put("GET /v1/engine-bundles/{id}", Access.ADMIN);
        put("PUT /v1/engine-bundles/{id}", Access.ADMIN);
        put("DELETE /v1/engine-bundles/{id}", Access.ADMIN);
        put("GET /v1/cache/models", Access.ADMIN);
        put("DELETE /v1/cache/models", Access.ADMIN);
        // Prometheus metrics: every model's name and traffic, so admin only
        put("GET /metrics", Access.ADMIN);
        // the web console's files hold no data (the API routes it calls keep their roles); a model's engine log
        // names files and hosts
        put("GET /ui", Access.PUBLIC);
        put("GET /ui/{asset}", Access.PUBLIC);
        put("GET /v1/models/{model_uid}/logs", Access.ADMIN);
    }

    private RouteAccess() {
    }

    private static void put(String route, Access access) {
        put(route, access, null);
    }

    private static void put(String route, Access access, ModelSource model) {
        RULES.put(route, new Rule(access, model));
    }

    /** The rule of {@code METHOD path-template}, empty when the table does not list the route. */
    public static Optional<Rule> listed(String method, String pathTemplate) {
        return Optional.ofNullable(RULES.get(method + " " + pathTemplate));
    }

    /** The rule applied: the listed one, else admin only. */
    public static Rule of(String method, String pathTemplate) {
        return listed(method, pathTemplate).orElse(new Rule(Access.ADMIN, null));
    }

    /** Every listed route, {@code METHOD path-template}. */
    public static java.util.Set<String> routes() {
        return java.util.Collections.unmodifiableSet(RULES.keySet());
    }
}
