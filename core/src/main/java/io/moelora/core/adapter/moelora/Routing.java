package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;

/**
 * The router's decision for M tokens.
 *
 * @param logits router logits, shape (M, N), differentiable
 * @param gates softmax over each token's top-k logits, 0 elsewhere, shape (M, N), differentiable
 * @param topK selected experts per token, best first, (M, k)
 * @param gateValues the gates as plain numbers, (M, N) row-major (for statistics)
 */
record Routing(NDArray logits, NDArray gates, int[][] topK, float[] gateValues) {

    int tokens() {
        return topK.length;
    }

    /** The best expert of token t. */
    int top1(int t) {
        return topK[t][0];
    }
}
