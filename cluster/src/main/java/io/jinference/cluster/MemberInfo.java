package io.jinference.cluster;

import java.util.List;

/**
 * One cluster member as {@code /v1/cluster/status} shows it.
 *
 * @param node its Pekko address
 * @param status Pekko's member status: joining, up, leaving, exiting, down, removed
 * @param reachable whether this node's failure detector hears it
 * @param roles {@code supervisor} where the singleton runs (the oldest member), {@code leader} for Pekko's
 *     membership leader, and {@code worker} for every node
 */
public record MemberInfo(String node, String status, boolean reachable, List<String> roles) {
    public boolean up() {
        return status.equals("up") && reachable;
    }
}
