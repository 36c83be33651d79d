package io.moelora.core.model;

/**
 * Immutable hyper-parameters of a LLaMA-family decoder.
 *
 * @param vocabSize number of token ids
 * @param dim hidden size D
 * @param hiddenDim SwiGLU inner size F
 * @param nLayers decoder layers
 * @param nHeads query heads H
 * @param nKvHeads key/value heads (H for multi-head, fewer for grouped-query attention)
 * @param maxSeqLen longest context the checkpoint was trained for
 * @param normEps RMSNorm epsilon
 * @param ropeTheta rotary base
 * @param ropeLayout which dimensions rotate together
 * @param tiedEmbeddings whether the LM head reuses the token embedding
 * @param qkvBias whether q/k/v projections carry a bias (Qwen2-style)
 * @param bosId beginning-of-sequence id
 * @param eosId end-of-sequence id
 */
public record LlamaConfig(
        int vocabSize,
        int dim,
        int hiddenDim,
        int nLayers,
        int nHeads,
        int nKvHeads,
        int maxSeqLen,
        float normEps,
        float ropeTheta,
        RopeLayout ropeLayout,
        boolean tiedEmbeddings,
        boolean qkvBias,
        int bosId,
        int eosId) {

    public LlamaConfig {
        positive("vocabSize", vocabSize);
        positive("dim", dim);
        positive("hiddenDim", hiddenDim);
        positive("nLayers", nLayers);
        positive("nHeads", nHeads);
        positive("nKvHeads", nKvHeads);
        positive("maxSeqLen", maxSeqLen);
        if (dim % nHeads != 0) {
            throw new IllegalArgumentException("dim must be a multiple of nHeads=" + nHeads + ", got " + dim);
        }
        if (nHeads % nKvHeads != 0) {
            throw new IllegalArgumentException("nKvHeads must divide nHeads=" + nHeads + ", got " + nKvHeads);
        }
        if ((dim / nHeads) % 2 != 0) {
            throw new IllegalArgumentException("head size dim/nHeads must be even for rotary embeddings, got " + dim / nHeads);
        }
        if (!(normEps > 0f) || !Float.isFinite(normEps)) {
            throw new IllegalArgumentException("normEps must be finite and > 0, got " + normEps);
        }
        if (!(ropeTheta > 1f) || !Float.isFinite(ropeTheta)) {
            throw new IllegalArgumentException("ropeTheta must be finite and > 1, got " + ropeTheta);
        }
        if (ropeLayout == null) {
            throw new IllegalArgumentException("ropeLayout must be set");
        }
        if (bosId < 0 || bosId >= vocabSize || eosId < 0 || eosId >= vocabSize) {
            throw new IllegalArgumentException(
                    "bosId and eosId must be in [0, " + (vocabSize - 1) + "], got " + bosId + " and " + eosId);
        }
    }

    /** Size of one attention head. */
    public int headDim() {
        return dim / nHeads;
    }

    /** Width of the key and value projections. */
    public int kvDim() {
        return nKvHeads * headDim();
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return nHeads / nKvHeads;
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }
}
