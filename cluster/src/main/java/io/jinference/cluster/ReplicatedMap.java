package io.jinference.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * One Distributed Data map of JSON texts (an {@link LWWMap}), with its latest value kept for readers on any thread:
 * a subscriber actor replaces the copy whenever the replicator reports a change.
 */
final class ReplicatedMap {
    /** Writes that must survive the writer's loss go to a majority of the nodes; this long at most. */
    static final Duration MAJORITY_TIMEOUT = Duration.ofSeconds(3);

    private final ActorSystem<?> system;
    private final Key<LWWMap<String, String>> key;
    private final ActorRef<Replicator.Command> replicator;
    private final SelfUniqueAddress self;
    private final AtomicReference<Map<String, String>> current = new AtomicReference<>(Map.of());

    ReplicatedMap(ActorSystem<?> system, String id) {
        this.system = system;
        this.key = LWWMapKey.create(id);
        DistributedData data = DistributedData.get(system);
        this.replicator = data.replicator();
        this.self = data.selfUniqueAddress();
        ActorRef<Replicator.SubscribeResponse<LWWMap<String, String>>> watcher =
                system.systemActorOf(watcher(), "watch-" + id, Props.empty());
        replicator.tell(new Replicator.Subscribe<>(key, watcher));
    }

    private Behavior<Replicator.SubscribeResponse<LWWMap<String, String>>> watcher() {
        return Behaviors.receiveMessage(message -> {
            if (message instanceof Replicator.Changed<LWWMap<String, String>> changed) {
                current.set(Map.copyOf(changed.get(key).getEntries()));
            } else {
                current.set(Map.of());
            }
            return Behaviors.same();
        });
    }

    /** The entries as this node knows them now. */
    Map<String, String> entries() {
        return current.get();
    }

    /** Writes locally; gossip spreads it (for what its writer republishes anyway, such as inventories). */
    void putLocal(String entry, String json) {
        update(map -> map.put(self, entry, json), Replicator.writeLocal());
    }

    /** Writes to a majority; completes false when no majority answered in time (the write still spreads later). */
    CompletionStage<Boolean> putMajority(String entry, String json) {
        return update(map -> map.put(self, entry, json), new Replicator.WriteMajority(MAJORITY_TIMEOUT));
    }

    CompletionStage<Boolean> removeMajority(String entry) {
        return update(map -> map.remove(self, entry), new Replicator.WriteMajority(MAJORITY_TIMEOUT));
    }

    private CompletionStage<Boolean> update(Function<LWWMap<String, String>, LWWMap<String, String>> modify,
            Replicator.WriteConsistency consistency) {
        CompletionStage<Replicator.UpdateResponse<LWWMap<String, String>>> answer = AskPattern.ask(replicator,
                replyTo -> new Replicator.Update<>(key, LWWMap.create(), consistency, replyTo, modify::apply),
                MAJORITY_TIMEOUT.plusSeconds(2), system.scheduler());
        return answer.thenApply(response -> response instanceof Replicator.UpdateSuccess);
    }
}
