package io.jinference.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of a node, run on a tick: publishes this node's inventory, copies the cluster's model
 * registrations into its catalog, its API keys into its key file and its engine bundles into its bundle store,
 * launches the models the supervisor placed here and terminates those placed here before that are no longer
 * (terminated, or moved away while this node was cut off).
 */
final class WorkerAgent {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);

    private final ClusterNode node;
    private final LocalModels models;
    private final WorkerInventory inventory;
    /** Launches run one at a time off the tick: selecting an engine and preparing files may take a while. */
    private final ExecutorService launches = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jinference-cluster-launch");
        thread.setDaemon(true);
        return thread;
    });
    /** The UIDs this agent launched (or is launching) here. */
    private final Set<String> mine = new HashSet<>();
    /** Launches that failed before the model manager listed the model (no engine, no file here), by UID. */
    private final Map<String, HeldModel> failed = new ConcurrentHashMap<>();

    private final RegistrationSync registrations;
    /** Null when this node runs without API keys. */
    private final KeySync keys;
    private final BundleSync bundles;

    WorkerAgent(ClusterNode node, LocalModels models, WorkerInventory inventory, RegistrationSync registrations,
            KeySync keys, BundleSync bundles) {
        this.node = node;
        this.bundles = bundles;
        this.registrations = registrations;
        this.keys = keys;
        this.models = models;
        this.inventory = inventory;
    }

    synchronized void tick() {
        ClusterSnapshot cluster = node.snapshot();
        if (!cluster.joined()) {
            return;
        }
        WorkerInfo self = withFailures(inventory.now(node.self(), node.options().httpUrl(), estimates(cluster)));
        node.workers().putLocal(node.self(), ClusterJson.write(self));
        registrations.sync();
        if (keys != null) {
            keys.sync();
        }
        bundles.sync(cluster);
        Set<String> here = new HashSet<>();
        self.models().forEach(model -> here.add(model.uid()));
        for (Placement placement : cluster.placements().values()) {
            ModelRequest request = cluster.requests().get(placement.uid());
            if (request == null || !node.self().equals(placement.node()) || mine.contains(placement.uid())
                    || here.contains(placement.uid())) {
                continue;
            }
            mine.add(placement.uid());
            LOG.info("Launching {} here, as the supervisor placed it: {}", placement.uid(), placement.why());
            launches.execute(() -> launch(request, placement));
        }
        for (String uid : Set.copyOf(mine)) {
            boolean placedHere = cluster.placements().values().stream()
                    .anyMatch(placement -> placement.uid().equals(uid) && node.self().equals(placement.node()));
            if (!placedHere) {
                mine.remove(uid);
                failed.remove(uid);
                LOG.info("Terminating {} here: {}", uid, cluster.requests().containsKey(uid)
                        ? "it is placed elsewhere now" : "it was terminated");
                launches.execute(() -> models.terminate(uid));
            }
        }
    }

    private void launch(ModelRequest request, Placement placement) {
        try {
            models.launch(request.uid(), withGpus(request.launch(), placement));
        } catch (RuntimeException e) {
            // The model manager keeps no model whose launch failed before loading: say why in the inventory.
            LOG.warn("Model {} could not be launched here: {}", request.uid(), e.getMessage());
            Object name = request.launch().get("model_name");
            failed.put(request.uid(), new HeldModel(request.uid(), name == null ? null : name.toString(), "failed",
                    e.getMessage(), 0));
        }
    }

    /** The launch on the GPUs the supervisor chose for it, when it asked for a number of GPUs rather than which. */
    private static Map<String, Object> withGpus(Map<String, Object> launch, Placement placement) {
        if (placement.gpus().isEmpty() || launch.containsKey("gpu_idx")) {
            return launch;
        }
        Map<String, Object> onGpus = new java.util.LinkedHashMap<>(launch);
        onGpus.put("gpu_idx", placement.gpus());
        return onGpus;
    }

    private static Map<String, Long> estimates(ClusterSnapshot cluster) {
        Map<String, Long> estimates = new java.util.HashMap<>();
        cluster.requests().values().forEach(request -> estimates.put(request.uid(), request.estimateBytes()));
        return estimates;
    }

    private WorkerInfo withFailures(WorkerInfo self) {
        if (failed.isEmpty()) {
            return self;
        }
        List<HeldModel> models = new ArrayList<>(self.models());
        failed.values().stream().filter(model -> self.model(model.uid()) == null).forEach(models::add);
        return new WorkerInfo(self.node(), self.http(), self.cpuCores(), self.memoryTotalBytes(),
                self.memoryFreeBytes(), self.gpus(), self.engines(), models, self.updatedMillis());
    }

    void close() {
        launches.shutdownNow();
    }
}
