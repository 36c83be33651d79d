package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
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
        List<List<Integer>> byExpert = new ArrayList<>();
        for (int i = 0; i < experts.experts(); i++) {
            byExpert.add(new ArrayList<>());
        }
        for (int t = 0; t < routing.tokens(); t++) {
            if (valid[t]) {
                for (int i : routing.topK()[t]) {
                    byExpert.get(i).add(t);
                }
            }
        }
        List<int[]> samples = new ArrayList<>(); // (token, expert)
        for (int i = 0; i < byExpert.size(); i++) {
            for (int t : subsample(byExpert.get(i), rng)) {
                samples.add(new int[] {t, i});
            }
        }
        int s = samples.size();
        float[] weights = new float[s * s]; // (S, S): 1/(|P(a)|·anchors) on positives
        float[] self = new float[s * s];
        int anchors = 0;
        int[] positives = new int[s];
        for (int a = 0; a < s; a++) {
            self[a * s + a] = SELF;
            for (int p = 0; p < s; p++) {
                if (p != a && samples.get(p)[1] == samples.get(a)[1]) {
                    positives[a]++;
                }
            }
            if (positives[a] > 0) {
                anchors++;
            }
        }
        if (anchors == 0) {
            return manager.zeros(new Shape());
        }
        for (int a = 0; a < s; a++) {
            for (int p = 0; p < s; p++) {
                if (p != a && samples.get(p)[1] == samples.get(a)[1]) {
                    weights[a * s + p] = 1f / (positives[a] * (float) anchors);
                }
            }
        }
        int[] tokens = samples.stream().mapToInt(x -> x[0]).toArray();
        int[] ids = samples.stream().mapToInt(x -> x[1]).toArray();
        NDArray z = experts.sampleOutputs(xa, tokens, ids); // (S, d_out)
        NDArray unit = z.div(z.norm(new int[] {-1}, true).maximum(epsilon)); // (S, d_out)
        NDArray logits = unit.matMul(unit.transpose()).mul(invTemperature)
                .add(manager.create(self, new Shape(s, s))); // (S, S)
        return logits.logSoftmax(-1).mul(manager.create(weights, new Shape(s, s))).sum().neg();
    }

    /** All samples when at most M, else a seeded subset of M kept in token order. */
    private List<Integer> subsample(List<Integer> tokens, SplittableRandom rng) {
        if (tokens.size() <= maxSamples) {
            return tokens;
        }
        List<Integer> shuffled = new ArrayList<>(tokens);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer tmp = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, tmp);
        }
        List<Integer> kept = new ArrayList<>(shuffled.subList(0, maxSamples));
        kept.sort(null);
        return kept;
    }
}
