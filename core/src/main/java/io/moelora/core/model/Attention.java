package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.Intermediates;

/**
 * Causal self-attention with grouped-query heads. Query heads are viewed as (KV groups, G) and
 * broadcast against their shared key/value head in one batched matMul, without copying K/V.
 */
public final class Attention {

    private final LlamaConfig config;
    private final RotaryEmbedding rope;
    private final ProjectionSlots projections; // q_proj, k_proj, v_proj, o_proj

    Attention(LlamaConfig config, RotaryEmbedding rope, ProjectionSlots projections) {
        this.config = config;
        this.rope = rope;
        this.projections = projections;
    }

    /**
     * @param x normalised input, shape (B, T, D)
     * @param cache per-call cache or null
     * @return shape (B, T, D)
     */
    NDArray forward(NDArray x, AttentionContext ctx, KvCache cache, int layer, Adapters adapters) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int h = config.nHeads();
        int kv = config.nKvHeads();
        int hd = config.headDim();

        NDArray qFlat = adapters.apply(layer, "q_proj", projections.get("q_proj"), x); // (B, T, H·hd)
        NDArray kFlat = adapters.apply(layer, "k_proj", projections.get("k_proj"), x); // (B, T, KV·hd)
        NDArray vFlat = adapters.apply(layer, "v_proj", projections.get("v_proj"), x); // (B, T, KV·hd)
        NDArray qHeads = qFlat.reshape(b, t, h, hd); // (B, T, H, hd)
        NDArray kHeads = kFlat.reshape(b, t, kv, hd); // (B, T, KV, hd)
        // the query's tables carry 1/√hd: the scores come out scaled without an op over (B, H, T, S)
        NDArray qRot = rope.apply(qHeads, ctx.queryCos, ctx.querySin); // (B, T, H, hd), scaled
        NDArray kRot = rope.apply(kHeads, ctx.cos, ctx.sin); // (B, T, KV, hd)
        Intermediates.free(qFlat, kFlat, qHeads, kHeads);
        NDArray q = qRot.transpose(0, 2, 1, 3); // (B, H, T, hd)
        NDArray k = kRot.transpose(0, 2, 1, 3); // (B, KV, T, hd)
        NDArray vHeads = vFlat.reshape(b, t, kv, hd); // (B, T, KV, hd)
        NDArray v = vHeads.transpose(0, 2, 1, 3); // (B, KV, T, hd)
        if (cache != null) {
            // the cache keeps the k and v it is given: they and their bases stay on this path
            NDArray[] full = cache.append(layer, k, v);
            k = full[0]; // (B, KV, S, hd)
            v = full[1];
        }
        long s = k.getShape().get(2);

        NDArray qg = q.reshape(b, kv, config.groupSize(), t, hd); // (B, KV, G, T, hd)
        // k straight from the projection is a token-major view whose (B, KV) do not merge: matMul would
        // copy its (hd, S) transpose element by element. Copied head-major first (rows of hd stay
        // contiguous, a view when k already is), the transpose below stays a view matMul reads in place.
        NDArray kRows = k.reshape(b * kv, s, hd); // (B·KV, S, hd), contiguous
        NDArray k1 = kRows.reshape(b, kv, 1, s, hd); // (B, KV, 1, S, hd)
        NDArray kg = k1.transpose(0, 1, 2, 4, 3); // (B, KV, 1, hd, S)
        NDArray vg = v.reshape(b, kv, 1, s, hd); // (B, KV, 1, S, hd)
        NDArray raw = qg.matMul(kg); // (B, KV, G, T, S) = q·k/√hd
        // in place: matMul's backward needs its inputs, not its output, and this (B, KV, G, T, S) block is
        // the largest a layer writes; a second one would push the next ops' operands out of the caches
        NDArray scores = raw.addi(ctx.mask); // (B, KV, G, T, S), raw itself
        NDArray weights = scores.softmax(-1); // (B, KV, G, T, S)
        NDArray mixed = weights.matMul(vg); // (B, KV, G, T, hd)
        NDArray mixedHeads = mixed.reshape(b, h, t, hd); // (B, H, T, hd)
        NDArray mixedTokens = mixedHeads.transpose(0, 2, 1, 3); // (B, T, H, hd)
        NDArray out = mixedTokens.reshape(new Shape(b, t, (long) h * hd)); // (B, T, D), a copy
        // views hold their base's memory: each handle goes, or the base stays until the step ends
        Intermediates.free(scores, weights, mixed, mixedHeads, mixedTokens, qg, kRows, k1, kg, vg, q, qRot);
        if (cache == null) {
            Intermediates.free(kRot, vFlat, vHeads, k, v);
        }
        NDArray projected = adapters.apply(layer, "o_proj", projections.get("o_proj"), out); // (B, T, D)
        Intermediates.free(out);
        return projected;
    }
}
