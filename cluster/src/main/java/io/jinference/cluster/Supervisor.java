package io.jinference.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor: a Cluster Singleton (one in the cluster, on its oldest node, moved by Pekko when that node is
 * lost) that keeps the placements in line with the requested models. Each tick it places every requested model
 * that has no placement, or whose worker has left the cluster, and drops the placements of terminated models. Its
 * state is the replicated maps, so a new supervisor after a failover carries on where the old one stopped.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final Duration TICK = Duration.ofMillis(500);

    /** The singleton's only message: its own timer. */
    enum Tick {
        INSTANCE
    }

    private final ClusterNode node;
    /** Placements written but maybe not yet seen back through the replicated map, so they are not written twice. */
    private final Map<String, Placement> written = new HashMap<>();

    private Supervisor(ClusterNode node) {
        this.node = node;
    }

    static Behavior<Tick> create(ClusterNode node) {
        return Behaviors.setup(context -> {
            LOG.info("The supervisor runs on {}", node.self());
            Supervisor supervisor = new Supervisor(node);
            return Behaviors.withTimers(timers -> {
                timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
                return Behaviors.receiveMessage(tick -> {
                    try {
                        supervisor.reconcile(node.snapshot());
                    } catch (RuntimeException e) {
                        // a typed actor stops on an exception: one bad tick must not leave the cluster without one
                        LOG.warn("Supervisor tick failed: {}", e.toString());
                    }
                    return Behaviors.same();
                });
            });
        });
    }

    void reconcile(ClusterSnapshot cluster) {
        var members = cluster.members().stream().map(MemberInfo::node).toList();
        Map<String, Long> pending = pendingBytes(cluster);
        Map<String, Map<Integer, Long>> gpuBytes = gpuBytes(cluster);
        Set<String> wanted = new HashSet<>();
        for (ModelRequest request : cluster.requests().values()) {
            Set<String> copies = new HashSet<>();
            for (int copy = 0; copy < request.replicas(); copy++) {
                Placement current = latest(cluster, Placement.key(request.uid(), copy));
                if (current != null && current.placed()) {
                    copies.add(current.node());
                }
            }
            for (int copy = 0; copy < request.replicas(); copy++) {
                String key = Placement.key(request.uid(), copy);
                wanted.add(key);
                Placement current = latest(cluster, key);
                if (current != null && current.placed() && members.contains(current.node())) {
                    continue; // its worker is still a member (an unreachable one is moved once the resolver downs it)
                }
                Set<String> others = new HashSet<>(copies);
                if (current != null && current.placed()) {
                    others.remove(current.node());
                }
                int generation = current == null ? 1 : current.generation() + 1;
                Placement placement = Scheduler.place(request, cluster.liveWorkers(), pending, gpuBytes, generation,
                        others);
                if (current != null && !current.placed() && !placement.placed()
                        && Objects.equals(current.why(), placement.why())) {
                    continue;
                }
                if (current != null && current.placed()) {
                    LOG.info("Model {} moves: its worker {} has left the cluster. {}", key, current.node(),
                            placement.why());
                } else {
                    LOG.info("{}", placement.why());
                }
                if (placement.placed()) {
                    pending.merge(placement.node(), request.estimateBytes(), Long::sum);
                    addGpuShares(gpuBytes, placement, request);
                    copies.add(placement.node());
                }
                written.put(key, placement);
                node.placements().putMajority(key, ClusterJson.write(placement));
            }
        }
        for (String key : cluster.placements().keySet()) {
            if (!wanted.contains(key)) {
                written.remove(key);
                node.placements().removeMajority(key);
            }
        }
        for (WorkerInfo worker : cluster.workers().values()) {
            if (!members.contains(worker.node())) {
                node.workers().removeMajority(worker.node());
            }
        }
    }

    /** The newer of the replicated placement and the one this supervisor wrote last. */
    private Placement latest(ClusterSnapshot cluster, String key) {
        Placement replicated = cluster.placements().get(key);
        Placement mine = written.get(key);
        return mine != null && (replicated == null || mine.generation() > replicated.generation()) ? mine : replicated;
    }

    /** Per worker, the estimates of models placed there that its inventory does not list yet. */
    private static Map<String, Long> pendingBytes(ClusterSnapshot cluster) {
        Map<String, Long> pending = new HashMap<>();
        for (Placement placement : cluster.placements().values()) {
            if (!placement.placed()) {
                continue;
            }
            WorkerInfo worker = cluster.workers().get(placement.node());
            ModelRequest request = cluster.requests().get(placement.uid());
            if (worker != null && request != null && worker.model(placement.uid()) == null) {
                pending.merge(placement.node(), request.estimateBytes(), Long::sum);
            }
        }
        return pending;
    }

    /** Per worker and GPU index, the shares of the estimates of the models placed on that GPU. */
    private static Map<String, Map<Integer, Long>> gpuBytes(ClusterSnapshot cluster) {
        Map<String, Map<Integer, Long>> used = new HashMap<>();
        for (Placement placement : cluster.placements().values()) {
            ModelRequest request = cluster.requests().get(placement.uid());
            if (placement.placed() && request != null) {
                addGpuShares(used, placement, request);
            }
        }
        return used;
    }

    private static void addGpuShares(Map<String, Map<Integer, Long>> used, Placement placement, ModelRequest request) {
        for (int index : placement.gpus()) {
            used.computeIfAbsent(placement.node(), node -> new HashMap<>())
                    .merge(index, request.estimateBytes() / placement.gpus().size(), Long::sum);
        }
    }
}
