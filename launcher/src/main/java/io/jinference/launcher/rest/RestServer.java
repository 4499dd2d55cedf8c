package io.jinference.launcher.rest;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.plugin.bundled.CorsPlugin;
import io.javalin.router.ParsedEndpoint;
import io.jinference.api.HostProfile;
import io.jinference.catalog.ModelCatalog;
import io.jinference.registry.EngineRegistry;
import io.jinference.registry.Selector;
import io.jinference.runtime.ModelManager;
import io.jinference.security.BindPolicy;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;

/**
 * The REST API: every route and every error mapping in one place. OpenAI routes ({@code /v1/models},
 * {@code /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings}) and Xinference's (launch,
 * describe, terminate, engines, registrations, cluster, status).
 */
public final class RestServer implements AutoCloseable {
    /** Bodies above this size are refused with 413 before they are read. */
    public static final long MAX_REQUEST_BYTES = 8L * 1024 * 1024;

    private final Javalin app;
    private final String address;

    private RestServer(Javalin app, String address) {
        this.app = app;
        this.address = address;
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one), guarded by {@code security}: every matched route
     * goes through {@link RequestGuard} first.
     */
    public static RestServer start(String host, int port, ModelCatalog catalog, Selector selector,
            EngineRegistry registry, HostProfile hostProfile, ModelManager models,
            java.util.function.Consumer<RoutesConfig> moreRoutes, RestSecurity security) {
        AddressHolder address = new AddressHolder();
        RequestGuard guard = new RequestGuard(security, BindPolicy.isLoopback(host), new PromptBound(models));
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.addConnector((server, http) -> SelectorAcceptingConnector.create(server, http, host, port));
            config.http.maxRequestSize = security.maxJsonBytes();
            if (!security.corsOrigins().isEmpty()) {
                config.registerPlugin(new CorsPlugin(cors -> cors.addRule(rule -> {
                    rule.allowHost(security.corsOrigins().get(0),
                            security.corsOrigins().subList(1, security.corsOrigins().size()).toArray(String[]::new));
                    rule.exposeHeader("WWW-Authenticate");
                })));
            }
            config.routes.beforeMatched(guard::check);
            routes(config.routes, catalog, selector, registry, hostProfile, models, address,
                    security.access().enabled());
            moreRoutes.accept(config.routes);
            ErrorMapper.register(config.routes);
        });
        app.start(host, port);
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector jetty) {
                jetty.setIdleTimeout(security.idleTimeout().toMillis());
                HeaderDeadline.install(jetty, security.headerTimeout());
            }
        }
        address.value = host + ":" + app.port();
        return new RestServer(app, address.value);
    }

    private static void routes(RoutesConfig routes, ModelCatalog catalog, Selector selector,
            EngineRegistry registry, HostProfile host, ModelManager models, Supplier<String> address,
            boolean authEnabled) {
        ClusterHandler cluster = new ClusterHandler(host, models, address, authEnabled);
        routes.get("/status", cluster::status);
        routes.get("/openapi.json", OpenApiDocument.load()::serve);
        routes.get("/v1/cluster/auth", cluster::auth);
        routes.get("/v1/cluster/info", cluster::info);
        routes.get("/v1/cluster/devices", cluster::devices);

        EnginesHandler engines = new EnginesHandler(selector, registry, host);
        routes.get("/v1/engines/{model_name}/explain", engines::explain);
        routes.get("/v1/engines/{model_name}", engines::engines);
        routes.get("/v1/engines/{model_type}/{model_name}", engines::enginesOfType);

        RegistrationsHandler registrations = new RegistrationsHandler(catalog);
        routes.get("/v1/model_registrations/{model_type}", registrations::list);
        routes.post("/v1/model_registrations/{model_type}", registrations::register);
        routes.get("/v1/model_registrations/{model_type}/{model_name}", registrations::get);
        routes.delete("/v1/model_registrations/{model_type}/{model_name}", registrations::unregister);

        AbortableRequests requests = new AbortableRequests();
        XinferenceHandler.register(routes, models, catalog, requests, cluster);
        routes.get("/v1/models/families", new FamiliesHandler(catalog)::families);
        routes.get("/v1/models/vllm-supported", engines::vllmSupported);
        ModelsHandler launched = new ModelsHandler(models, address);
        routes.get("/v1/models", launched::list);
        routes.post("/v1/models", launched::launch);
        routes.get("/v1/models/{model_uid}", launched::describe);
        routes.delete("/v1/models/{model_uid}", launched::terminate);

        routes.post("/v1/chat/completions", new ChatCompletionsHandler(models, requests)::create);
        routes.post("/v1/completions", new CompletionsHandler(models, requests)::create);
        routes.post("/v1/embeddings", new EmbeddingsHandler(models)::create);
        routes.post("/v1/rerank", new RerankHandler(models)::rerank);
        routes.post("/v1/responses", new ResponsesHandler(address)::create);
        OllamaHandler.register(routes, models, address);
    }

    /** The server's address is known only once Jetty has bound its port. */
    private static final class AddressHolder implements Supplier<String> {
        private volatile String value;

        @Override
        public String get() {
            return value;
        }
    }

    /** Every registered route as {@code METHOD path-template}, straight from the router (for the access tests). */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + endpoint.path).distinct().toList();
    }

    public int port() {
        return app.port();
    }

    /** {@code host:port} as models' descriptions show it. */
    public String address() {
        return address;
    }

    @Override
    public void close() {
        app.stop();
    }
}
