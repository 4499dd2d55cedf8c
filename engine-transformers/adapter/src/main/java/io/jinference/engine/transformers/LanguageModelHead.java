package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;

/**
 * The output projection, hidden states to vocabulary logits, with the checkpoint's {@code [vocab, hidden]} matrix
 * (often the embedding itself, so it cannot be stored in another layout without a second copy).
 *
 * <p>For a few rows, as a batched decode step has, the matrix is multiplied as blocks of {@link #BLOCK} vocabulary
 * rows ({@code [blocks, BLOCK, hidden]}, a view of the same memory): libtorch's single product of a 4-row input
 * with the whole matrix first packs the matrix into a scratch copy, so 4 rows cost about three times one row's
 * (0.5B model's 151936 × 896 head, 2 threads: 52-59 ms against 17-18 ms), while per block the packing stays in
 * cache (4 rows 22-25 ms, 8 rows 24-28 ms, 1 row unchanged). From about a hundred rows, as a prefill that wants
 * every position's logits has, the single product is as fast or faster again, so those rows take it.
 */
final class LanguageModelHead {
    /** Vocabulary rows per block: 128 × hidden floats stays in a core's L2 cache for common hidden sizes. */
    static final int BLOCK = 128;
    /** Up to this many rows the blocked product is used (measured faster from 4 to 32 rows, slower at 128). */
    static final int MAX_BLOCKED_ROWS = 32;

    private final NDArray matrix;
    /** {@code [blocks, hidden, BLOCK]}: the blocks transposed for {@code x.matMul}, a view of {@link #matrix}. */
    private final NDArray blocks;
    /** The vocabulary rows after the last whole block, or null when the vocabulary is a multiple of the block. */
    private final NDArray remainder;

    LanguageModelHead(NDArray matrix) {
        this.matrix = matrix;
        long vocab = matrix.getShape().get(0);
        long hidden = matrix.getShape().get(1);
        long whole = vocab / BLOCK;
        NDArray blockRows = whole * BLOCK == vocab ? matrix : matrix.get(new NDIndex(":{}", whole * BLOCK));
        this.blocks = blockRows.reshape(whole, BLOCK, hidden).transpose(0, 2, 1);
        this.remainder = whole * BLOCK == vocab ? null : matrix.get(new NDIndex("{}:", whole * BLOCK));
    }

    /** Logits of each row of {@code x} ({@code [rows, hidden]}), {@code [rows, vocab]}. */
    NDArray apply(NDArray x) {
        long rows = x.getShape().get(0);
        if (rows > MAX_BLOCKED_ROWS) {
            return Linear.linear(x, matrix).singletonOrThrow();
        }
        // [blocks, rows, BLOCK] → [rows, blocks, BLOCK] → [rows, blocks × BLOCK]: block b's logits are vocabulary
        // entries b × BLOCK onwards, so the rows come out in vocabulary order.
        NDArray logits = x.matMul(blocks).transpose(1, 0, 2).reshape(rows, -1);
        return remainder == null ? logits : logits.concat(Linear.linear(x, remainder).singletonOrThrow(), 1);
    }
}
