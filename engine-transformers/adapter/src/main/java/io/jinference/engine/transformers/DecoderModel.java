package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
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
    private final DataType dtype;
    private final NDArray inverseFrequencies;
    private final NDIndex firstHalf;
    private final NDIndex secondHalf;
    private final long[] qkvSplit;
    private final long[] gateUpSplit;

    DecoderModel(ModelConfig config, NDManager manager, DecoderWeights weights, DataType dtype) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.dtype = dtype;
        this.inverseFrequencies = manager.create(config.rope().inverseFrequencies(), new Shape(1, config.headDim() / 2));
        int half = config.headDim() / 2;
        this.firstHalf = new NDIndex("..., :{}", half);
        this.secondHalf = new NDIndex("..., {}:", half);
        long q = (long) config.heads() * config.headDim();
        this.qkvSplit = new long[] {q, q + (long) config.kvHeads() * config.headDim()};
        this.gateUpSplit = new long[] {config.intermediateSize()};
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
        return new KvCache(manager, config.layers());
    }

    /**
     * Runs {@code tokens} at the positions after those in {@code cache} and appends their keys and values.
     *
     * @return float32 logits, {@code [tokens.length, vocab]} when {@code allPositions}, else {@code [1, vocab]}
     */
    NDArray forward(NDManager scope, long[] tokens, KvCache cache, boolean allPositions) {
        int count = tokens.length;
        int past = cache.length();
        NDArray ids = scope.create(tokens);
        NDArray x = ids.getNDArrayInternal().embedding(ids, weights.embedTokens(), SparseFormat.DENSE).singletonOrThrow();
        NDArray[] rotary = rotary(scope, past, count);
        NDArray mask = causalMask(scope, past, count);
        for (int i = 0; i < config.layers(); i++) {
            DecoderWeights.Layer layer = weights.layers().get(i);
            NDArray attention = attention(i, layer, rmsNorm(x, layer.inputNorm()), rotary, mask, cache, count);
            x = x.add(attention);
            x = x.add(mlp(layer, rmsNorm(x, layer.postAttentionNorm())));
        }
        cache.advance(count);
        if (!allPositions && count > 1) {
            x = x.get(new NDIndex("{}:", count - 1));
        }
        NDArray logits = Linear.linear(rmsNorm(x, weights.finalNorm()), weights.lmHead()).singletonOrThrow();
        return cast(logits, DataType.FLOAT32);
    }

    private NDArray attention(int index, DecoderWeights.Layer layer, NDArray h, NDArray[] rotary, NDArray mask,
            KvCache cache, int count) {
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        int headDim = config.headDim();
        NDArray projected = layer.qkvBias() == null
                ? Linear.linear(h, layer.qkv()).singletonOrThrow()
                : Linear.linear(h, layer.qkv(), layer.qkvBias()).singletonOrThrow();
        NDList qkv = projected.split(qkvSplit, 1);
        NDArray q = qkv.get(0).reshape(count, heads, headDim);
        NDArray k = qkv.get(1).reshape(count, kvHeads, headDim);
        NDArray v = qkv.get(2).reshape(count, kvHeads, headDim);
        if (layer.qNorm() != null) {
            q = rmsNorm(q, layer.qNorm());
            k = rmsNorm(k, layer.kNorm());
        }
        q = rotate(q.transpose(1, 0, 2), rotary);
        k = rotate(k.transpose(1, 0, 2), rotary);
        NDArray keys = cache.appendKeys(index, k);
        NDArray values = cache.appendValues(index, v.transpose(1, 0, 2));
        long total = keys.getShape().get(1);
        // Grouped-query attention without copying the KV heads: the query heads that share a KV head are laid
        // out one after another, so [heads, T, d] reshapes to [kvHeads, groups * T, d].
        NDArray grouped = q.reshape(kvHeads, (long) config.groups() * count, headDim);
        NDArray scores = grouped.matMul(keys.transpose(0, 2, 1)).mul(1.0 / Math.sqrt(headDim));
        if (mask != null) {
            scores = scores.reshape(kvHeads, config.groups(), count, total).add(mask)
                    .reshape(kvHeads, (long) config.groups() * count, total);
        }
        NDArray probabilities = cast(cast(scores, DataType.FLOAT32).softmax(-1), dtype);
        NDArray context = probabilities.matMul(values).reshape(heads, count, headDim).transpose(1, 0, 2)
                .reshape(count, (long) heads * headDim);
        return Linear.linear(context, layer.output()).singletonOrThrow();
    }

    private NDArray mlp(DecoderWeights.Layer layer, NDArray h) {
        NDList gateUp = Linear.linear(h, layer.gateUp()).singletonOrThrow().split(gateUpSplit, 1);
        NDArray gate = gateUp.get(0);
        NDArray activated = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(gateUp.get(1));
        return Linear.linear(activated, layer.down()).singletonOrThrow();
    }

    /** transformers' RMSNorm: normalise in float32, cast back, then scale. */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray wide = cast(x, DataType.FLOAT32);
        NDArray inverseRms = wide.square().mean(new int[] {-1}, true).add(config.rmsNormEps()).pow(-0.5);
        return cast(wide.mul(inverseRms), dtype).mul(weight);
    }

    /** cos and sin of position × frequency for the new positions, {@code [T, headDim]}, in the model dtype. */
    private NDArray[] rotary(NDManager scope, int past, int count) {
        float[] positions = new float[count];
        for (int i = 0; i < count; i++) {
            positions[i] = past + i;
        }
        NDArray angles = scope.create(positions, new Shape(count, 1)).mul(inverseFrequencies);
        NDArray both = angles.concat(angles, 1);
        return new NDArray[] {cast(both.cos(), dtype), cast(both.sin(), dtype)};
    }

    private NDArray rotate(NDArray x, NDArray[] rotary) {
        NDArray rotatedHalf = x.get(secondHalf).neg().concat(x.get(firstHalf), -1);
        return x.mul(rotary[0]).add(rotatedHalf.mul(rotary[1]));
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
