package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.api.EngineException;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.RunningModel;
import io.jinference.catalog.ModelCatalog;
import io.jinference.api.ModelFamily;
import io.jinference.catalog.XinferenceFamilyJson;
import io.jinference.cluster.ClusterNode;
import io.jinference.cluster.ClusterSnapshot;
import io.jinference.cluster.HeldModel;
import io.jinference.cluster.ModelRequest;
import io.jinference.cluster.Placement;
import io.jinference.cluster.WorkerInfo;
import io.jinference.runtime.ModelManager;
import io.jinference.runtime.ModelState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The REST API of a cluster node: the routes that answer for the whole cluster instead of this node alone. They run
 * right after the request guard (so every request is authorized as usual) and answer in its place when the request
 * is the cluster's business: a launch goes to the supervisor, which places it on a worker; a request for a model
 * another node holds is passed through to that node over HTTP (streams as they come), with the cluster's key; the
 * model list, a model's description, the workers and the devices cover every node. A request another node
 * forwarded here carries {@value #HOP_HEADER} and is served by this node alone, so nothing is forwarded twice.
 */
public final class ClusterRoutes {
    static final String HOP_HEADER = "X-Jinference-Cluster-Hop";
    /** How long a launch waits for the supervisor to place the model. */
    private static final Duration PLACEMENT_WAIT = Duration.ofSeconds(30);
    /** How long a launch with wait_ready waits for its worker to load the model. */
    private static final Duration READY_WAIT = Duration.ofMinutes(10);
    private static final Duration MAJORITY_WAIT = Duration.ofSeconds(10);
    /** Longer than the inventory's gossip interval (1 s) and a round of its republishing. */
    private static final Duration GOSSIP_WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static final String COUNTED = "jinference.cluster.counted";

    private final ClusterNode node;
    private final ModelManager models;
    private final ModelCatalog catalog;
    /** Requests this node has in flight on each node's copy of a model (its own included), for the least busy. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    private ClusterRoutes(ClusterNode node, ModelManager models, ModelCatalog catalog) {
        this.node = node;
        this.models = models;
        this.catalog = catalog;
    }

    /** Registers the cluster's routes; call after the routes whose before-handlers must run first. */
    public static void register(RoutesConfig routes, ClusterNode node, ModelManager models, ModelCatalog catalog) {
        ClusterRoutes cluster = new ClusterRoutes(node, models, catalog);
        routes.beforeMatched(cluster::route);
        routes.afterMatched(ClusterRoutes::release);
        routes.get("/v1/cluster/status", cluster::status);
    }

    private void route(Context ctx) {
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || ctx.header(HOP_HEADER) != null) {
            return;
        }
        String route = ctx.method().name() + " " + endpoint.path;
        Consumer<Context> handler = switch (route) {
            case "POST /v1/chat/completions", "POST /v1/completions", "POST /v1/embeddings" -> this::forwardIfRemote;
            case "POST /v1/models" -> this::launch;
            case "GET /v1/models" -> this::list;
            case "GET /v1/models/{model_uid}" -> this::describe;
            case "DELETE /v1/models/{model_uid}" -> this::terminate;
            case "GET /v1/workers" -> this::workers;
            case "GET /v1/supervisor" -> this::supervisor;
            case "GET /v1/cluster/info" -> this::info;
            case "GET /v1/cluster/devices" -> this::devices;
            case "POST /v1/model_registrations/{model_type}" -> this::registerFamily;
            case "DELETE /v1/model_registrations/{model_type}/{model_name}" -> this::unregisterFamily;
            default -> null;
        };
        if (handler != null) {
            handler.accept(ctx);
        }
    }

    /** Answered here: the endpoint's own handler must not run as well. */
    private static void answered(Context ctx, Object body) {
        Json.send(ctx, body);
        ctx.skipRemainingHandlers();
    }

    /**
     * Serves a request for a model of the cluster on the least busy ready copy: here (the endpoint's own handler
     * then runs) or on another node, through the pass-through proxy. Busy is what this node has in flight on each.
     */
    private void forwardIfRemote(Context ctx) {
        ObjectNode body = Json.body(ctx);
        String uid = Json.text(body, "model");
        ClusterSnapshot cluster = node.snapshot();
        if (uid == null || !cluster.requests().containsKey(uid)) {
            return; // not the cluster's: this node's own answer stands
        }
        List<String> ready = readyCopies(cluster, uid);
        if (ready.isEmpty()) {
            // Holders publish their models by gossip (a second or two), so a model the launching node already
            // answered as ready may not be ready in this node's view yet: wait that long before a 503.
            List<String> seen = node.await(GOSSIP_WAIT, later -> {
                List<String> copies = readyCopies(later, uid);
                return copies.isEmpty() ? null : copies;
            });
            ready = seen == null ? ready : seen;
            cluster = node.snapshot();
        }
        if (ready.isEmpty()) {
            WorkerInfo holder = cluster.holder(uid);
            HeldModel held = holder == null ? null : holder.model(uid);
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "Model " + uid + " is not ready on any node yet ("
                    + (holder == null ? "it is being placed" : "it is " + (held == null ? "launching" : held.state())
                    + " on " + holder.node()) + "); retry shortly");
        }
        String target = ready.stream().min(java.util.Comparator.comparingInt(candidate -> busy(candidate).get()))
                .orElseThrow();
        AtomicInteger counter = busy(target);
        counter.incrementAndGet();
        if (target.equals(node.self())) {
            ctx.attribute(COUNTED, counter); // released after the endpoint's handler
            return;
        }
        WorkerInfo worker = cluster.workers().get(target);
        Observed.of(ctx).model(uid);
        try (ClientConnection client = ClientConnection.watch(ctx)) {
            OpenAiPassThrough.forward(ctx, new OtherNode(worker, uid), ctx.path(), body, uid, client, nodeHeaders());
        } finally {
            counter.decrementAndGet();
        }
        ctx.skipRemainingHandlers();
    }

    /** The nodes with a ready copy of {@code uid}: this node as its model manager says, the others as gossiped. */
    private List<String> readyCopies(ClusterSnapshot cluster, String uid) {
        List<String> ready = new ArrayList<>();
        cluster.holders(uid).stream().filter(worker -> worker.model(uid) != null && worker.model(uid).ready())
                .forEach(worker -> ready.add(worker.node()));
        ready.remove(node.self());
        if (models.list().stream().anyMatch(instance -> instance.uid().equals(uid)
                && instance.state() == ModelState.READY)) {
            ready.add(node.self());
        }
        return ready;
    }

    private AtomicInteger busy(String node) {
        return inFlight.computeIfAbsent(node, key -> new AtomicInteger());
    }

    private static void release(Context ctx) {
        AtomicInteger counted = ctx.attribute(COUNTED);
        if (counted != null) {
            counted.decrementAndGet();
        }
    }

    private boolean isLocal(String uid) {
        return models.list().stream().anyMatch(instance -> instance.uid().equals(uid));
    }

    private Map<String, String> nodeHeaders() {
        return Map.of("Authorization", "Bearer " + node.httpKey(), HOP_HEADER, node.self());
    }

    /** A model on another node, reached as an OpenAI server at that node's REST root. */
    private record OtherNode(WorkerInfo worker, String uid) implements RunningModel {
        @Override
        public boolean forward(Consumer<OpenAiUpstream> exchange) {
            try {
                exchange.accept(new OpenAiUpstream(URI.create(worker.http()), uid));
            } catch (UncheckedIOException e) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE, "The node " + worker.node()
                        + " that holds model " + uid + " does not answer (" + e.getCause().getMessage()
                        + "); once the cluster has moved the model, retry");
            }
            return true;
        }

        @Override
        public void close() {
            // the model belongs to the other node
        }
    }

    private void launch(Context ctx) {
        ObjectNode body = Json.body(ctx);
        ModelsHandler.spec(body); // the same checks as a launch on one node, before anything is placed
        Integer replica = Json.integer(body, "replica");
        if (replica != null && replica < 1) {
            throw ApiError.badParameter("replica", "replica must be at least 1, got " + replica);
        }
        int copies = replica == null ? 1 : replica;
        ClusterSnapshot cluster = node.snapshot();
        if (!cluster.joined()) {
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "This node has not joined its cluster (yet): no launch can be placed");
        }
        String uid = Json.text(body, "model_uid");
        if (uid == null) {
            uid = Json.requiredText(body, "model_name") + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            body.put("model_uid", uid);
        }
        if (cluster.requests().containsKey(uid) || isLocal(uid)) {
            throw ApiError.badRequest("Model is already in the model list, uid: " + uid);
        }
        Map<String, Object> estimate = LaunchFit.estimate(body).map(e -> e.toMap()).orElse(null);
        ModelRequest request = new ModelRequest(uid, Json.plain(body), estimate, node.self());
        if (!Boolean.TRUE.equals(await(node.request(request).toCompletableFuture()))) {
            await(node.forget(uid).toCompletableFuture());
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "No majority of the cluster's nodes confirmed the launch of " + uid
                    + " within " + MAJORITY_WAIT.toSeconds() + " s; it was withdrawn");
        }
        List<Placement> placements = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            Placement placement = node.awaitPlacement(Placement.key(uid, copy), 0, PLACEMENT_WAIT);
            if (placement == null) {
                await(node.forget(uid).toCompletableFuture());
                throw new ApiError(503, "The cluster's supervisor did not place " + uid + " within "
                        + PLACEMENT_WAIT.toSeconds() + " s; it was withdrawn");
            }
            if (!placement.placed()) {
                await(node.forget(uid).toCompletableFuture());
                refuse(ctx, placement, estimate);
                return;
            }
            placements.add(placement);
        }
        if (!"false".equalsIgnoreCase(ctx.queryParam("wait_ready"))) {
            awaitReady(uid, copies);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model_uid", uid);
        answer.put("placement", placement(placements.get(0)));
        if (copies > 1) {
            answer.put("replicas", placements.stream().map(ClusterRoutes::placement).toList());
        }
        answered(ctx, answer);
    }

    /** A launch that fits nowhere: 400 with the estimate and every worker's free memory. */
    private static void refuse(Context ctx, Placement placement, Map<String, Object> estimate) {
        Map<String, Object> refusal = new LinkedHashMap<>();
        refusal.put("detail", placement.why());
        refusal.put("error", ErrorMapper.openAiError(placement.why(), 400, null));
        refusal.put("estimate", estimate);
        refusal.put("workers", placement.workers());
        ctx.status(400);
        answered(ctx, refusal);
    }

    /** Waits until every copy is ready; a copy that failed withdraws the launch. */
    private void awaitReady(String uid, int copies) {
        List<HeldModel> held = node.await(READY_WAIT, cluster -> {
            List<HeldModel> states = cluster.holders(uid).stream().map(worker -> worker.model(uid))
                    .filter(model -> model != null).toList();
            boolean failed = states.stream().anyMatch(model -> model.state().equals("failed"));
            return failed || (states.size() == copies && states.stream().allMatch(HeldModel::ready)) ? states : null;
        });
        if (held == null) {
            throw new ApiError(503, "Model " + uid + " was placed but is not ready after "
                    + READY_WAIT.toMinutes() + " minutes; it goes on loading (GET /v1/models/" + uid + ")");
        }
        for (HeldModel model : held) {
            if (!model.ready()) {
                await(node.forget(uid).toCompletableFuture());
                throw ApiError.badRequest("Model " + uid + " failed to load: " + model.failure());
            }
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(MAJORITY_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void list(Context ctx) {
        ClusterSnapshot cluster = node.snapshot();
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelRequest request : cluster.requests().values()) {
            data.add(card(cluster, request));
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        answered(ctx, list);
    }

    /** A model as the cluster knows it: where it is placed and in which state its worker reports it. */
    private static Map<String, Object> card(ClusterSnapshot cluster, ModelRequest request) {
        Placement placement = cluster.placements().get(request.uid());
        WorkerInfo holder = cluster.holder(request.uid());
        HeldModel held = holder == null ? null : holder.model(request.uid());
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("id", request.uid());
        card.put("object", "model");
        card.put("owned_by", "jinference");
        card.put("model_name", request.launch().get("model_name"));
        card.put("status", held != null ? held.state() : placement == null ? "placing"
                : placement.placed() ? "launching" : "unplaceable");
        card.put("node", holder == null ? null : holder.node());
        card.put("address", holder == null ? null : holder.http());
        card.put("replicas", cluster.holders(request.uid()).stream().map(worker -> Map.of("node", worker.node(),
                "address", worker.http(), "status", worker.model(request.uid()) == null ? "launching"
                        : worker.model(request.uid()).state())).toList());
        return card;
    }

    private void describe(Context ctx) {
        String uid = ctx.pathParam("model_uid");
        ClusterSnapshot cluster = node.snapshot();
        ModelRequest request = cluster.requests().get(uid);
        if (request == null) {
            return;
        }
        WorkerInfo holder = cluster.holder(uid);
        Map<String, Object> description = new LinkedHashMap<>();
        if (holder != null && holder.model(uid) != null) {
            description.putAll(Json.plain(fetch(holder, "/v1/models/" + uid)));
        } else {
            description.putAll(card(cluster, request));
        }
        Placement placement = cluster.placements().get(uid);
        description.put("placement", placement == null ? null : placement(placement));
        description.put("memory_estimate", request.estimate());
        description.put("replicas", card(cluster, request).get("replicas"));
        answered(ctx, description);
    }

    private static Map<String, Object> placement(Placement placement) {
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("node", placement.node());
        where.put("address", placement.http());
        where.put("why", placement.why());
        where.put("decisions", placement.generation());
        where.put("workers", placement.workers());
        return where;
    }

    /** A GET to another node's REST API (or this node's own, past the cluster routes), with the cluster's key. */
    private JsonNode fetch(WorkerInfo worker, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(worker.http() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        nodeHeaders().forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ApiError(response.statusCode() == 404 ? 404 : 502, "The node " + worker.node()
                        + " answered HTTP " + response.statusCode() + " for " + path);
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "The node " + worker.node()
                    + " does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "interrupted");
        }
    }

    private void terminate(Context ctx) {
        String uid = ctx.pathParam("model_uid");
        if (!node.snapshot().requests().containsKey(uid)) {
            return;
        }
        if (!Boolean.TRUE.equals(await(node.forget(uid).toCompletableFuture()))) {
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "No majority of the cluster's nodes confirmed the termination of " + uid);
        }
        // the worker stops it on its next tick; the answer waits for that, as a single node's does
        node.await(Duration.ofSeconds(60), cluster -> cluster.workers().values().stream()
                .noneMatch(worker -> worker.model(uid) != null) ? Boolean.TRUE : null);
        answered(ctx, null);
    }

    /**
     * A custom family is registered here first (which checks it, as on a single node), then replicated: every node
     * copies it into its catalog, and a node that joins later gets it too.
     */
    private void registerFamily(Context ctx) {
        if (!ctx.pathParam("model_type").equalsIgnoreCase("LLM")) {
            return; // the endpoint refuses it
        }
        JsonNode model = Json.body(ctx).get("model");
        if (model == null || model.isNull()) {
            return;
        }
        String json = model.isTextual() ? model.asText() : Json.write(model);
        ModelFamily family = catalog.register(XinferenceFamilyJson.parse(json));
        if (!Boolean.TRUE.equals(await(node.register(family.name(), json).toCompletableFuture()))) {
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "Model family " + family.name() + " is registered on this node, but no majority "
                    + "of the cluster's nodes confirmed it; it reaches the others once they are reachable");
        }
        answered(ctx, null);
    }

    private void unregisterFamily(Context ctx) {
        if (!ctx.pathParam("model_type").equalsIgnoreCase("LLM")) {
            return;
        }
        String name = ctx.pathParam("model_name");
        catalog.unregister(name);
        await(node.unregister(name).toCompletableFuture());
        answered(ctx, null);
    }

    /** Xinference's worker description for each live worker. */
    private void workers(Context ctx) {
        answered(ctx, node.snapshot().liveWorkers().stream().map(worker -> nodeInfo(worker, "Worker")).toList());
    }

    private void supervisor(Context ctx) {
        ClusterSnapshot cluster = node.snapshot();
        answered(ctx, cluster.liveWorkers().stream().filter(worker -> worker.node().equals(cluster.supervisor()))
                .findFirst().map(worker -> nodeInfo(worker, "Supervisor")).orElse(null));
    }

    private void info(Context ctx) {
        ClusterSnapshot cluster = node.snapshot();
        List<Map<String, Object>> nodes = new ArrayList<>();
        cluster.liveWorkers().stream().filter(worker -> worker.node().equals(cluster.supervisor()))
                .forEach(worker -> nodes.add(nodeInfo(worker, "Supervisor")));
        cluster.liveWorkers().forEach(worker -> nodes.add(nodeInfo(worker, "Worker")));
        answered(ctx, nodes);
    }

    private static Map<String, Object> nodeInfo(WorkerInfo worker, String nodeType) {
        boolean isWorker = nodeType.equals("Worker");
        long vram = worker.gpus().stream().mapToLong(gpu -> ((Number) gpu.get("memory_total")).longValue()).sum();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("node_type", nodeType);
        info.put("ip_address", worker.ip());
        info.put("gpu_count", isWorker ? worker.gpus().size() : 0);
        info.put("gpu_vram_total", isWorker ? vram / (1024 * 1024) + "MiB" : 0);
        info.put("node", worker.node());
        info.put("address", worker.http());
        info.put("cpu_cores", worker.cpuCores());
        info.put("memory_total", worker.memoryTotalBytes());
        info.put("memory_free", worker.memoryFreeBytes());
        return info;
    }

    /** The GPU count over the cluster (Xinference's answer); with {@code ?detailed=true} each GPU by node. */
    private void devices(Context ctx) {
        List<WorkerInfo> workers = node.snapshot().liveWorkers();
        if (!"true".equalsIgnoreCase(ctx.queryParam("detailed"))) {
            answered(ctx, workers.stream().mapToInt(worker -> worker.gpus().size()).sum());
            return;
        }
        List<Map<String, Object>> devices = new ArrayList<>();
        for (WorkerInfo worker : workers) {
            for (Map<String, Object> gpu : worker.gpus()) {
                Map<String, Object> device = new LinkedHashMap<>(gpu);
                device.put("node", worker.node());
                devices.add(device);
            }
        }
        answered(ctx, devices);
    }

    /** {@code GET /v1/cluster/status}: members with roles, the supervisor, every worker's inventory, placements. */
    private void status(Context ctx) {
        ClusterSnapshot cluster = node.snapshot();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("self", cluster.self());
        status.put("joined", cluster.joined());
        status.put("supervisor", cluster.supervisor());
        status.put("members", cluster.members().stream().map(ClusterRoutes::snake).toList());
        Map<String, Object> workers = new LinkedHashMap<>();
        cluster.workers().forEach((address, worker) -> workers.put(address, snake(worker)));
        status.put("workers", workers);
        Map<String, Object> placements = new LinkedHashMap<>();
        cluster.placements().forEach((uid, placement) -> placements.put(uid, placement(placement)));
        status.put("placements", placements);
        Json.send(ctx, status);
    }

    private static Object snake(Object record) {
        return SNAKE.convertValue(record, Object.class);
    }
}
