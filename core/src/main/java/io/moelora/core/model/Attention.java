package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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

        NDArray q = adapters.apply(layer, "q_proj", projections.get("q_proj"), x).reshape(b, t, h, hd); // (B, T, H, hd)
        NDArray k = adapters.apply(layer, "k_proj", projections.get("k_proj"), x).reshape(b, t, kv, hd); // (B, T, KV, hd)
        NDArray v = adapters.apply(layer, "v_proj", projections.get("v_proj"), x).reshape(b, t, kv, hd); // (B, T, KV, hd)
        // the query's tables carry 1/√hd: the scores come out scaled without an op over (B, H, T, S)
        q = rope.apply(q, ctx.queryCos, ctx.querySin).transpose(0, 2, 1, 3); // (B, H, T, hd), scaled
        k = rope.apply(k, ctx.cos, ctx.sin).transpose(0, 2, 1, 3); // (B, KV, T, hd)
        v = v.transpose(0, 2, 1, 3); // (B, KV, T, hd)
        if (cache != null) {
            NDArray[] full = cache.append(layer, k, v);
            k = full[0]; // (B, KV, S, hd)
            v = full[1];
        }
        long s = k.getShape().get(2);

        NDArray qg = q.reshape(b, kv, config.groupSize(), t, hd); // (B, KV, G, T, hd)
        NDArray kg = k.reshape(b, kv, 1, s, hd).transpose(0, 1, 2, 4, 3); // (B, KV, 1, hd, S)
        NDArray vg = v.reshape(b, kv, 1, s, hd); // (B, KV, 1, S, hd)
        NDArray scores = qg.matMul(kg).add(ctx.mask); // (B, KV, G, T, S) = q·k/√hd + mask
        NDArray out = scores.softmax(-1).matMul(vg); // (B, KV, G, T, hd)
        out = out.reshape(b, h, t, hd).transpose(0, 2, 1, 3).reshape(new Shape(b, t, (long) h * hd)); // (B, T, D)
        return adapters.apply(layer, "o_proj", projections.get("o_proj"), out);
    }
}
