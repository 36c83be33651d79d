package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Supervised InfoNCE between expert outputs of one module. Samples are routed (token, expert) pairs
 * of non-padding tokens; z = e_i(x_t) / max(‖e_i(x_t)‖, 1e-12), label = expert id; for every anchor a
 * with positives P(a): {@code -1/|P(a)| Σ_p log( exp(z_a·z_p/τ) / Σ_{q≠a} exp(z_a·z_q/τ) )}, averaged
 * over such anchors. An expert with more than M samples contributes a seeded subset of M.
 */
final class ContrastiveExpertLoss {

    private static final float SELF = -1e9f; // removes q = a from the denominator without producing NaN

    private final NDArray invTemperature; // ()
    private final NDArray epsilon; // () 1e-12
    private final int maxSamples;

    ContrastiveExpertLoss(NDManager params, double temperature, int maxSamples) {
        this.invTemperature = params.create((float) (1.0 / temperature));
        this.epsilon = params.create(1e-12f);
        this.maxSamples = maxSamples;
    }

    /**
     * @param xa every expert's down-projection, shape (M, N·r_e)
     * @param valid (M): false for padding tokens
     * @return the loss, a scalar (0 when no anchor has a positive)
     */
    NDArray compute(LoraExperts experts, NDArray xa, Routing routing, boolean[] valid, SplittableRandom rng) {
        NDManager manager = xa.getManager();
        int n = experts.experts();
        int[] count = new int[n];
        int[][] byExpert = new int[n][routing.tokens()];
        for (int t = 0; t < routing.tokens(); t++) {
            if (valid[t]) {
                for (int i : routing.topK()[t]) {
                    byExpert[i][count[i]++] = t;
                }
            }
        }
        int s = 0;
        for (int i = 0; i < n; i++) {
            count[i] = subsample(byExpert[i], count[i], rng);
            s += count[i];
        }
        // samples grouped by expert: positives form diagonal blocks of the (S, S) matrices
        int[] tokens = new int[s];
        int[] ids = new int[s];
        int anchors = 0;
        for (int i = 0, at = 0; i < n; i++) {
            System.arraycopy(byExpert[i], 0, tokens, at, count[i]);
            java.util.Arrays.fill(ids, at, at + count[i], i);
            at += count[i];
            anchors += count[i] >= 2 ? count[i] : 0;
        }
        if (anchors == 0) {
            return manager.zeros(new Shape());
        }
        float[] weights = new float[s * s]; // 1/(|P(a)|·anchors) on positives
        float[] self = new float[s * s];
        for (int i = 0, start = 0; i < n; start += count[i], i++) {
            float w = count[i] >= 2 ? 1f / ((count[i] - 1) * (float) anchors) : 0f;
            for (int a = start; a < start + count[i]; a++) {
                java.util.Arrays.fill(weights, a * s + start, a * s + start + count[i], w);
                weights[a * s + a] = 0f;
                self[a * s + a] = SELF;
            }
        }
        NDArray z = experts.sampleOutputs(xa, tokens, ids); // (S, d_out)
        NDArray unit = z.div(z.norm(new int[] {-1}, true).maximum(epsilon)); // (S, d_out)
        NDArray logits = unit.matMul(unit.transpose()).mul(invTemperature)
                .add(manager.create(self, new Shape(s, s))); // (S, S)
        return logits.logSoftmax(-1).mul(manager.create(weights, new Shape(s, s))).sum().neg();
    }

    /**
     * Keeps all {@code count} tokens when at most M, else a seeded subset of M (partial Fisher-Yates),
     * in token order, at the front of {@code tokens}.
     *
     * @return how many are kept
     */
    private int subsample(int[] tokens, int count, SplittableRandom rng) {
        if (count <= maxSamples) {
            return count;
        }
        for (int i = 0; i < maxSamples; i++) {
            int j = i + rng.nextInt(count - i);
            int tmp = tokens[i];
            tokens[i] = tokens[j];
            tokens[j] = tmp;
        }
        java.util.Arrays.sort(tokens, 0, maxSamples);
        return maxSamples;
    }
}
