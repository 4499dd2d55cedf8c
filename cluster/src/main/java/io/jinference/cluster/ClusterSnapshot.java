package io.jinference.cluster;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster as this node sees it at one moment: members, the workers' inventories, the requested models and
 * their placements.
 *
 * @param self this node's address
 * @param joined whether this node is a member now (false before it joins, and once it has been downed)
 * @param supervisor the address of the node the supervisor singleton runs on, or null while there is none
 */
public record ClusterSnapshot(String self, boolean joined, String supervisor, List<MemberInfo> members,
        Map<String, WorkerInfo> workers, Map<String, ModelRequest> requests, Map<String, Placement> placements) {

    /** The inventories of the members that are up and reachable. */
    public List<WorkerInfo> liveWorkers() {
        var live = members.stream().filter(MemberInfo::up).map(MemberInfo::node).collect(Collectors.toSet());
        return workers.values().stream().filter(worker -> live.contains(worker.node())).toList();
    }

    /** The worker a model (its first copy) is placed on, when that worker is a live member; else null. */
    public WorkerInfo holder(String uid) {
        List<WorkerInfo> holders = holders(uid);
        Placement first = placements.get(uid);
        return holders.stream().filter(worker -> first != null && worker.node().equals(first.node())).findFirst()
                .orElse(holders.isEmpty() ? null : holders.get(0));
    }

    /** The live workers the copies of a model are placed on. */
    public List<WorkerInfo> holders(String uid) {
        var nodes = placements.values().stream().filter(placement -> placement.uid().equals(uid) && placement.placed())
                .map(Placement::node).collect(Collectors.toSet());
        return liveWorkers().stream().filter(worker -> nodes.contains(worker.node())).toList();
    }
}
