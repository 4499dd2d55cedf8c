package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Arrays;

/**
 * The decoder forward pass of Llama, Mistral, Qwen2 and Qwen3 written with DJL NDArray operations, following
 * transformers' eager implementation step by step (including where it computes in float32), so that logits match.
 *
 * <p>Every intermediate array is created in the caller's {@code scope} manager (DJL attaches a result to the manager
 * of the operation's first operand, so activations always come first); the caller closes the scope after each step.
 */
final class DecoderModel implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final DecoderWeights weights;
    private final LanguageModelHead head;
    private final DataType dtype;
    private final NDArray inverseFrequencies;
    private final NDIndex firstHalf;
    private final NDIndex secondHalf;
    private final NDIndex queryHeads;
    private final NDIndex keyHeads;
    private final NDIndex queryAndKeyHeads;
    private final NDIndex valueHeads;
    private final long[] gateUpSplit;
    private final NDArray epsilon;
    private final NDArray minusHalf;
    private final NDArray scale;

    DecoderModel(ModelConfig config, NDManager manager, DecoderWeights weights, DataType dtype) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.head = new LanguageModelHead(weights.lmHead());
        this.dtype = dtype;
        int half = config.headDim() / 2;
        this.inverseFrequencies = manager.create(config.rope().inverseFrequencies(), new Shape(1, 1, half));
        this.firstHalf = new NDIndex("..., :{}", half);
        this.secondHalf = new NDIndex("..., {}:", half);
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        this.queryHeads = new NDIndex(":, :{}", heads);
        this.keyHeads = new NDIndex(":, {}:{}", heads, heads + kvHeads);
        this.queryAndKeyHeads = new NDIndex(":, :{}", heads + kvHeads);
        this.valueHeads = new NDIndex(":, {}:", heads + kvHeads);
        this.gateUpSplit = new long[] {config.intermediateSize()};
        // Scalars as the 0-d float64 arrays DJL would otherwise create on every use (same values, same rounding).
        this.epsilon = manager.create(config.rmsNormEps());
        this.minusHalf = manager.create(-0.5);
        this.scale = manager.create(1.0 / Math.sqrt(config.headDim()));
    }

    ModelConfig config() {
        return config;
    }

    DataType dtype() {
        return dtype;
    }

    /** A manager for one step's intermediate arrays; close it after the step. */
    NDManager newScope() {
        return manager.newSubManager();
    }

    KvCache newCache() {
        return new KvCache(manager, config.layers(), config.kvHeads(), config.headDim(), dtype);
    }

    /**
     * Runs {@code tokens} at the positions after those in {@code cache} and appends their keys and values.
     *
     * @return float32 logits, {@code [tokens.length, vocab]} when {@code allPositions}, else {@code [1, vocab]}
     */
    NDArray forward(NDManager scope, long[] tokens, KvCache cache, boolean allPositions) {
        NDArray x = hidden(scope, new long[][] {tokens}, new KvCache[] {cache});
        if (!allPositions && tokens.length > 1) {
            x = x.get(new NDIndex("{}:", tokens.length - 1));
        }
        return logits(x);
    }

    /**
     * One step for several sequences at once: each runs its {@code tokens[i]} after what {@code caches[i]} holds.
     * The embedding, projections, MLP and head work on all the sequences' new positions together; attention runs
     * per sequence over its own cache, so sequences of different lengths need no padding.
     *
     * @return float32 logits of each sequence's last new position, {@code [tokens.length, vocab]}
     */
    NDArray forward(NDManager scope, long[][] tokens, KvCache[] caches) {
        NDArray x = hidden(scope, tokens, caches);
        if (x.getShape().get(0) > tokens.length) {
            NDList last = new NDList(tokens.length);
            int end = 0;
            for (long[] sequence : tokens) {
                end += sequence.length;
                last.add(x.get(new NDIndex("{}:{}", end - 1, end)));
            }
            x = NDArrays.concat(last, 0);
        }
        return logits(x);
    }

    private NDArray logits(NDArray x) {
        return cast(head.apply(rmsNorm(x, weights.finalNorm())), DataType.FLOAT32);
    }

    /** The last layer's output for every new position of every sequence, {@code [positions, hidden]}. */
    private NDArray hidden(NDManager scope, long[][] tokens, KvCache[] caches) {
        Rows rows = new Rows(tokens, caches);
        NDArray ids = scope.create(rows.ids);
        NDArray x = ids.getNDArrayInternal().embedding(ids, weights.embedTokens(), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray[] rotary = rotary(scope, rows.positions);
        NDArray[] masks = new NDArray[caches.length];
        for (int s = 0; s < caches.length; s++) {
            masks[s] = causalMask(scope, caches[s].length(), tokens[s].length);
            caches[s].reserve(tokens[s].length);
        }
        for (int i = 0; i < config.layers(); i++) {
            DecoderWeights.Layer layer = weights.layers().get(i);
            // A layer's intermediate arrays are freed when the layer ends, not with the step: malloc then reuses
            // their memory (warm in the caches) for the next layer. Kept for the whole step, a 128-token prefill of
            // the 135M shape touched about 270 MB of fresh pages (69,000 page faults) and took 45% longer.
            try (NDManager layerScope = scope.newSubManager()) {
                // Operations attach their results to their first operand's manager, so x leads them into the layer's.
                x.attach(layerScope);
                NDArray attention = attention(layerScope, i, layer, rmsNorm(x, layer.inputNorm()), rotary, masks,
                        caches, rows);
                x = x.add(attention);
                x = x.add(mlp(layer, rmsNorm(x, layer.postAttentionNorm())));
                x.attach(scope);
            }
        }
        for (int s = 0; s < caches.length; s++) {
            caches[s].advance(tokens[s].length);
        }
        return x;
    }

    /** Where each sequence's new positions lie among a step's rows, and their token ids and positions. */
    private static final class Rows {
        final long[] ids;
        final float[] positions;
        /** Sequence {@code s} owns rows {@code starts[s]} (inclusive) to {@code starts[s + 1]}. */
        final int[] starts;

        Rows(long[][] tokens, KvCache[] caches) {
            starts = new int[tokens.length + 1];
            for (int s = 0; s < tokens.length; s++) {
                starts[s + 1] = starts[s] + tokens[s].length;
            }
            ids = new long[starts[tokens.length]];
            positions = new float[ids.length];
            for (int s = 0; s < tokens.length; s++) {
                System.arraycopy(tokens[s], 0, ids, starts[s], tokens[s].length);
                for (int j = 0; j < tokens[s].length; j++) {
                    positions[starts[s] + j] = caches[s].length() + j;
                }
            }
        }
    }

    private NDArray attention(NDManager scope, int index, DecoderWeights.Layer layer, NDArray h, NDArray[] rotary,
            NDArray[] masks, KvCache[] caches, Rows rows) {
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        NDArray projected = h.matMul(layer.qkv());
        if (layer.qkvBias() != null) {
            projected = projected.add(layer.qkvBias());
        }
        NDArray split = projected.reshape(rows.ids.length, heads + 2L * kvHeads, config.headDim());
        NDArray qk;
        if (layer.qNorm() != null) {
            qk = rmsNorm(split.get(queryHeads), layer.qNorm()).concat(rmsNorm(split.get(keyHeads), layer.kNorm()), 1);
        } else {
            qk = split.get(queryAndKeyHeads);
        }
        // Queries and keys rotate together (one set of operations for both); then heads lead: [heads, rows, d].
        qk = rotate(qk, rotary).transpose(1, 0, 2);
        NDArray v = split.get(valueHeads).transpose(1, 0, 2);
        NDList contexts = new NDList(caches.length);
        for (int s = 0; s < caches.length; s++) {
            contexts.add(attend(scope, index, qk, v, rows.starts[s], rows.starts[s + 1], caches[s], masks[s]));
        }
        NDArray context = contexts.size() == 1 ? contexts.singletonOrThrow() : NDArrays.concat(contexts, 0);
        return context.matMul(layer.output());
    }

    /** One sequence's attention over its cache for its rows {@code start} to {@code end}: {@code [rows, heads * d]}. */
    private NDArray attend(NDManager scope, int index, NDArray qk, NDArray v, int start, int end, KvCache cache,
            NDArray mask) {
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        int headDim = config.headDim();
        int count = end - start;
        NDArray q = qk.get(new NDIndex(":{}, {}:{}", heads, start, end));
        NDArray keys = cache.appendKeys(scope, index, qk.get(new NDIndex("{}:, {}:{}", heads, start, end)));
        NDArray values = cache.appendValues(scope, index, v.get(new NDIndex(":, {}:{}", start, end)));
        long total = keys.getShape().get(1);
        // Grouped-query attention without copying the KV heads: the query heads that share a KV head are laid
        // out one after another, so [heads, T, d] reshapes to [kvHeads, groups * T, d].
        NDArray grouped = q.reshape(kvHeads, (long) config.groups() * count, headDim);
        NDArray scores = grouped.matMul(keys.transpose(0, 2, 1)).mul(scale);
        if (mask != null) {
            scores = scores.reshape(kvHeads, config.groups(), count, total).add(mask)
                    .reshape(kvHeads, (long) config.groups() * count, total);
        }
        NDArray probabilities = cast(cast(scores, DataType.FLOAT32).softmax(-1), dtype);
        NDArray context = probabilities.matMul(values);
        // With one row, [heads, 1, d] is already laid out as [1, heads * d].
        return count == 1 ? context.reshape(1, (long) heads * headDim)
                : context.reshape(heads, count, headDim).transpose(1, 0, 2).reshape(count, (long) heads * headDim);
    }

    private NDArray mlp(DecoderWeights.Layer layer, NDArray h) {
        NDList gateUp = h.matMul(layer.gateUp()).split(gateUpSplit, 1);
        NDArray gate = gateUp.get(0);
        NDArray activated = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(gateUp.get(1));
        return activated.matMul(layer.down());
    }

    /** transformers' RMSNorm: normalise in float32, cast back, then scale. */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray wide = cast(x, DataType.FLOAT32);
        NDArray inverseRms = wide.square().mean(new int[] {-1}, true).add(epsilon).pow(minusHalf);
        return cast(wide.mul(inverseRms), dtype).mul(weight);
    }

    /**
     * cos and sin of position × frequency for the rows' positions, {@code [rows, 1, headDim]} to broadcast over the
     * heads, in the model dtype. transformers rotates with {@code x * cos + cat(-x2, x1) * sin}; the sin here comes
     * with the first half negated, so that the rotation is {@code x * cos + cat(x2, x1) * sin} — the same products,
     * since negation is exact, with one operation fewer per layer.
     */
    private NDArray[] rotary(NDManager scope, float[] positions) {
        NDArray angles = scope.create(positions, new Shape(positions.length, 1, 1)).mul(inverseFrequencies);
        NDArray sin = angles.sin();
        NDArray cos = angles.cos();
        return new NDArray[] {cast(cos.concat(cos, -1), dtype), cast(sin.neg().concat(sin, -1), dtype)};
    }

    private NDArray rotate(NDArray x, NDArray[] rotary) {
        NDArray swappedHalves = x.get(secondHalf).concat(x.get(firstHalf), -1);
        return x.mul(rotary[0]).add(swappedHalves.mul(rotary[1]));
    }

    /**
     * The additive mask for {@code count} new positions over {@code past + count} keys: causal, and limited to the
     * sliding window when the model has one. A single new token sees every cached key, so it needs none.
     */
    private NDArray causalMask(NDManager scope, int past, int count) {
        Integer window = config.slidingWindow();
        boolean windowBinds = window != null && past + count > window;
        if (count == 1 && !windowBinds) {
            return null;
        }
        int total = past + count;
        float[] mask = new float[count * total];
        float blocked = -Float.MAX_VALUE;
        for (int row = 0; row < count; row++) {
            int position = past + row;
            Arrays.fill(mask, row * total + position + 1, (row + 1) * total, blocked);
            if (window != null && position - window >= 0) {
                Arrays.fill(mask, row * total, row * total + position - window + 1, blocked);
            }
        }
        return cast(scope.create(mask, new Shape(count, total)), dtype);
    }

    /**
     * Converts only when the type differs. DJL's {@code toType(type, false)} compares against a lazily read dtype
     * field and otherwise calls into libtorch, which (seen under Surefire) can abort the JVM in
     * {@code GetScalarTypeFromDType}; reading {@code getDataType()} first avoids that call altogether.
     */
    private static NDArray cast(NDArray array, DataType type) {
        return array.getDataType() == type ? array : array.toType(type, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
