package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One sequence's keys and values per layer, held in preallocated arrays shaped {@code [kvHeads, capacity, headDim]}.
 * New positions are written in place and the cached ones are read as a view, so a step copies only its own keys and
 * values instead of the whole cache (as concatenation did). The capacity grows in chunks, copying once per chunk.
 */
final class KvCache implements AutoCloseable {
    /** Positions added per growth: few enough reallocations, little unused memory for short requests. */
    static final int CHUNK = 256;

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long kvHeads;
    private final long headDim;
    private final DataType dtype;
    private int length;
    private int capacity;

    KvCache(NDManager parent, int layers, int kvHeads, int headDim, DataType dtype) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.dtype = dtype;
    }

    /** Positions already cached. */
    int length() {
        return length;
    }

    /**
     * Makes room for {@code added} more positions; called once per forward pass before any layer writes, so every
     * layer's arrays have the same capacity.
     */
    void reserve(int added) {
        int needed = length + added;
        if (needed <= capacity) {
            return;
        }
        int grown = (needed + CHUNK - 1) / CHUNK * CHUNK;
        for (int layer = 0; layer < keys.length; layer++) {
            keys[layer] = grow(keys[layer], grown);
            values[layer] = grow(values[layer], grown);
        }
        capacity = grown;
    }

    /**
     * Writes the new positions' keys, {@code [kvHeads, added, headDim]}, after the cached ones and returns every
     * cached key of the layer as a view attached to {@code scope}.
     */
    NDArray appendKeys(NDManager scope, int layer, NDArray added) {
        return write(scope, keys[layer], added);
    }

    NDArray appendValues(NDManager scope, int layer, NDArray added) {
        return write(scope, values[layer], added);
    }

    /** Called once per forward pass, after every layer appended its {@code added} positions. */
    void advance(int added) {
        length += added;
    }

    private NDArray write(NDManager scope, NDArray cached, NDArray added) {
        long end = length + added.getShape().get(1);
        cached.set(new NDIndex(":, {}:{}", length, end), added);
        // The view would otherwise stay registered with the cache's manager until the sequence ends.
        NDArray view = cached.get(new NDIndex(":, :{}", end));
        view.attach(scope);
        return view;
    }

    private NDArray grow(NDArray cached, int grown) {
        NDArray larger = manager.zeros(new Shape(kvHeads, grown, headDim), dtype);
        if (cached != null) {
            if (length > 0) {
                try (NDArray kept = cached.get(new NDIndex(":, :{}", length))) {
                    larger.set(new NDIndex(":, :{}", length), kept);
                }
            }
            cached.close();
        }
        return larger;
    }

    @Override
    public void close() {
        manager.close();
    }
}
