package io.jinference.cluster;

/**
 * A model a worker holds.
 *
 * @param uid its UID, the same on every node
 * @param modelName the model it runs
 * @param state {@code launching}, {@code ready}, {@code failed}, … as the worker's model manager says
 * @param failure why it failed, or null
 * @param estimateBytes the memory estimate it was placed by (0 when none could be made)
 */
public record HeldModel(String uid, String modelName, String state, String failure, long estimateBytes) {
    public boolean ready() {
        return "ready".equals(state);
    }
}
