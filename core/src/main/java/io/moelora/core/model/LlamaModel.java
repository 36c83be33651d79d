package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.Intermediates;
import io.moelora.core.runtime.Slices;
import java.util.List;

/**
 * A LLaMA-family decoder: immutable config and weights, loaded once and shared read-only. Per-call
 * state (the KV cache) lives in per-call objects; every activation is created in the caller's
 * manager, never in the weights' manager.
 */
public final class LlamaModel implements AutoCloseable {

    private final LlamaConfig config;
    private final NDManager weights;
    private final TokenEmbedding embedding;
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final Linear lmHead;
    private final RotaryEmbedding rope;

    LlamaModel(LlamaConfig config, NDManager weights, TokenEmbedding embedding, List<DecoderLayer> layers,
            RmsNorm finalNorm, Linear lmHead, RotaryEmbedding rope) {
        this.config = config;
        this.weights = weights;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.rope = rope;
    }

    public LlamaConfig config() {
        return config;
    }

    /** Decoder layers, in order. */
    public List<DecoderLayer> layers() {
        return layers;
    }

    /** The manager that owns the weights. */
    public NDManager weightsManager() {
        return weights;
    }

    /**
     * Final hidden states.
     *
     * @param manager the caller's (per-step) manager; all results land there
     * @param batch token ids (B, T), left-padded
     * @param cache per-call cache to read and extend, or null
     * @return shape (B, T, D)
     */
    public NDArray hidden(NDManager manager, TokenBatch batch, KvCache cache) {
        return hidden(manager, batch, cache, Adapters.NONE);
    }

    /**
     * Final hidden states with per-call adapters.
     *
     * @param adapters applied around every frozen projection ({@link Adapters#NONE} for the base model)
     * @return shape (B, T, D)
     */
    public NDArray hidden(NDManager manager, TokenBatch batch, KvCache cache, Adapters adapters) {
        NDArray ids = manager.create(flatten(batch.ids()), new Shape(batch.batchSize(), batch.length())); // (B, T)
        AttentionContext ctx = AttentionContext.build(manager, rope, batch, cache);
        NDArray x = embedding.forward(ids); // (B, T, D)
        for (DecoderLayer layer : layers) {
            NDArray next = layer.forward(x, ctx, cache, adapters); // (B, T, D)
            Intermediates.free(x);
            x = next;
        }
        if (cache != null) {
            cache.advance(batch);
        }
        return finalNorm.forward(x);
    }

    /** Logits for every position, shape (B, T, V). */
    public NDArray logits(NDManager manager, TokenBatch batch, KvCache cache) {
        return logits(manager, batch, cache, Adapters.NONE);
    }

    /** Logits for every position with per-call adapters, shape (B, T, V). */
    public NDArray logits(NDManager manager, TokenBatch batch, KvCache cache, Adapters adapters) {
        NDArray h = hidden(manager, batch, cache, adapters); // (B, T, D)
        NDArray logits = lmHead.forward(h); // (B, T, V)
        Intermediates.free(h);
        return logits;
    }

    /** Logits of the last position only (left padding puts every row's last token there), shape (B, V). */
    public NDArray lastLogits(NDManager manager, TokenBatch batch, KvCache cache) {
        return lastLogits(manager, batch, cache, Adapters.NONE);
    }

    /** Last-position logits with per-call adapters, shape (B, V). */
    public NDArray lastLogits(NDManager manager, TokenBatch batch, KvCache cache, Adapters adapters) {
        NDArray all = hidden(manager, batch, cache, adapters); // (B, T, D)
        long t = all.getShape().get(1);
        NDArray last = Slices.range(all, 1, t - 1, t); // (B, 1, D), a view
        NDArray h = last.squeeze(1); // (B, D)
        NDArray logits = lmHead.forward(h); // (B, V)
        Intermediates.free(all, last, h);
        return logits;
    }

    /** A fresh cache for one generation call. */
    public KvCache newCache(NDManager owner, int batchSize) {
        return new KvCache(owner, layers.size(), batchSize);
    }

    private static long[] flatten(long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * rows[0].length, rows[0].length);
        }
        return flat;
    }

    @Override
    public void close() {
        weights.close();
    }
}
