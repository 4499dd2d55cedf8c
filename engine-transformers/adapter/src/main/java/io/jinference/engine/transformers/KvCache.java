package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** One sequence's keys and values per layer, shaped {@code [kvHeads, positions, headDim]}; grows by concatenation. */
final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions already cached. */
    int length() {
        return length;
    }

    NDArray appendKeys(int layer, NDArray newKeys) {
        return keys[layer] = append(keys[layer], newKeys);
    }

    NDArray appendValues(int layer, NDArray newValues) {
        return values[layer] = append(values[layer], newValues);
    }

    /** Called once per forward pass, after every layer appended its {@code added} positions. */
    void advance(int added) {
        length += added;
    }

    private NDArray append(NDArray cached, NDArray added) {
        NDArray joined = cached == null ? added.duplicate() : cached.concat(added, 1);
        joined.attach(manager);
        if (cached != null) {
            cached.close();
        }
        return joined;
    }

    @Override
    public void close() {
        manager.close();
    }
}
