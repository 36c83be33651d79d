package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.model.LlamaModel;

/**
 * The LLaMA-style base the compute benchmarks use at a given width: 4 layers, head size 64 (4 heads at
 * dim 256, 8 at 512), multi-head attention, SwiGLU width from LLaMA's rule (8d/3 rounded up to a
 * multiple of 16: 688 at 256, 1376 at 512), untied head, synthetic weights.
 */
record ModelShape(int dim, int layers, int heads, int hidden, int vocab) {

    static final int LAYERS = 4;
    static final int HEAD_DIM = 64;
    static final int VOCAB = 1024;

    static ModelShape llama(int dim) {
        return llama(dim, VOCAB);
    }

    static ModelShape llama(int dim, int vocab) {
        if (dim % HEAD_DIM != 0) {
            throw new IllegalArgumentException("dim must be a multiple of " + HEAD_DIM + ", got " + dim);
        }
        int hidden = (8 * dim / 3 + 15) / 16 * 16;
        return new ModelShape(dim, LAYERS, dim / HEAD_DIM, hidden, vocab);
    }

    /** @param maxSeq the longest sequence the model will see (sizes the rotary tables) */
    LlamaModel build(int maxSeq, NDManager weights) {
        return BenchModels.llama(dim, layers, heads, heads, hidden, vocab, maxSeq, weights);
    }

    String describe() {
        return String.format("dim %d, %d layers, %d heads, SwiGLU %d, vocab %d", dim, layers, heads, hidden, vocab);
    }
}
