package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import io.moelora.core.runtime.Intermediates;
import io.moelora.core.runtime.Silu;

/** One pre-norm decoder block: attention then a SwiGLU MLP, each with a residual connection. */
public final class DecoderLayer {

    private final int index;
    private final RmsNorm attentionNorm;
    private final Attention attention;
    private final RmsNorm mlpNorm;
    private final ProjectionSlots projections;

    DecoderLayer(int index, LlamaConfig config, RotaryEmbedding rope, RmsNorm attentionNorm, RmsNorm mlpNorm,
            ProjectionSlots projections) {
        this.index = index;
        this.attentionNorm = attentionNorm;
        this.mlpNorm = mlpNorm;
        this.projections = projections;
        this.attention = new Attention(config, rope, projections);
    }

    /** @param x shape (B, T, D); returns (B, T, D) */
    NDArray forward(NDArray x, AttentionContext ctx, KvCache cache, Adapters adapters) {
        NDArray normed = attentionNorm.forward(x); // (B, T, D)
        NDArray attended = attention.forward(normed, ctx, cache, index, adapters); // (B, T, D)
        // residual sums in place on the sublayer's output, a fresh projection output nothing saved for the
        // backward (x and h are: the norms keep their inputs)
        NDArray h = attended.addi(x); // (B, T, D), attended itself
        Intermediates.free(normed);
        NDArray n = mlpNorm.forward(h); // (B, T, D)
        NDArray gate = adapters.apply(index, "gate_proj", projections.get("gate_proj"), n); // (B, T, F)
        NDArray up = adapters.apply(index, "up_proj", projections.get("up_proj"), n); // (B, T, F)
        NDArray activated = Silu.apply(gate); // (B, T, F)
        NDArray swiglu = activated.mul(up); // (B, T, F)
        Intermediates.free(n, gate, up, activated);
        NDArray down = adapters.apply(index, "down_proj", projections.get("down_proj"), swiglu); // (B, T, D)
        NDArray out = down.addi(h); // (B, T, D), down itself
        Intermediates.free(swiglu, h);
        return out;
    }

    /** This layer's frozen projections by slot name. */
    public ProjectionSlots projections() {
        return projections;
    }
}
