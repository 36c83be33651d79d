package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Switch-style load balancing over non-padding tokens: {@code N · Σ_j f_j P_j}, f_j the fraction of
 * tokens whose top-1 expert is j (a constant: no gradient), P_j the mean full-softmax probability of j.
 */
final class LoadBalancingLoss {

    private LoadBalancingLoss() {}

    /**
     * @param valid (M): false for padding
     * @return the loss, a scalar (0 without tokens)
     */
    static NDArray compute(Routing routing, boolean[] valid, int experts) {
        NDManager manager = routing.logits().getManager();
        int m = routing.tokens();
        int count = 0;
        float[] top1 = new float[experts];
        for (int t = 0; t < m; t++) {
            if (valid[t]) {
                count++;
                top1[routing.top1(t)]++;
            }
        }
        if (count == 0) {
            return manager.zeros(new Shape());
        }
        float[] tokenWeight = new float[m]; // (M) 1/count on valid tokens
        for (int t = 0; t < m; t++) {
            tokenWeight[t] = valid[t] ? 1f / count : 0f;
        }
        for (int j = 0; j < experts; j++) {
            top1[j] = experts * top1[j] / count; // N · f_j
        }
        NDArray meanProb = routing.logits().softmax(-1)
                .mul(manager.create(tokenWeight, new Shape(m, 1))).sum(new int[] {0}); // (N)
        return meanProb.mul(manager.create(top1)).sum();
    }
}
