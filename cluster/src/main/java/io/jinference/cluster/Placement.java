package io.jinference.cluster;

import java.util.List;
import java.util.Map;

/**
 * Where the supervisor put a model, and why.
 *
 * @param uid the model's UID
 * @param node the worker's Pekko address; null when the model fits nowhere
 * @param http the worker's REST root; null when the model fits nowhere
 * @param why the explanation: the estimate against each worker's free memory, and the choice
 * @param workers each worker considered: node, free memory, and whether and why it was ruled out
 * @param generation how many times the supervisor has decided it (each move after a worker's loss adds one)
 * @param gpus the worker's GPUs the model runs on (its {@code gpu_idx} there); empty when it asked for none
 */
public record Placement(String uid, String node, String http, String why, List<Map<String, Object>> workers,
        int generation, List<Integer> gpus) {
    public Placement {
        workers = workers == null ? List.of() : List.copyOf(workers);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public boolean placed() {
        return node != null;
    }

    /** The placements map's key of a model's copy: its UID for the first, {@code uid#k} for the others. */
    public static String key(String uid, int copy) {
        return copy == 0 ? uid : uid + "#" + copy;
    }
}
