package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.adapter.AdapterParameter;
import io.moelora.core.adapter.Init;
import io.moelora.core.adapter.PeftLayout;
import java.util.SplittableRandom;

/**
 * Top-k router without bias: logits {@code s = Wg x}, gates = softmax over the k largest logits
 * (equivalently full softmax renormalised over the top-k), exactly 0 for the other experts.
 */
final class TopKRouter {

    /** Added to unselected logits: exp underflows to exactly 0, so they get neither weight nor gradient. */
    private static final float EXCLUDED = -1e9f;

    private final NDArray weight; // (d_in, N): Wg^T
    private final int experts;
    private final int k;
    private final int in;

    private TopKRouter(NDArray weight, int experts, int k, int in) {
        this.weight = weight;
        this.experts = experts;
        this.k = k;
        this.in = in;
    }

    static TopKRouter initialised(int experts, int k, int in, String init, NDManager params, SplittableRandom rng) {
        float[] peft = init.equals("normal") ? Init.normal(experts * in, 0.02, rng) : Init.kaimingUniform(experts * in, in, rng);
        long[] shape = {experts, in};
        return new TopKRouter(params.create(PeftLayout.TRANSPOSE.fromPeft(peft, shape), new Shape(in, experts)), experts, k, in);
    }

    /**
     * @param x router input, shape (M, d_in)
     */
    Routing route(NDArray x) {
        NDArray logits = x.matMul(weight); // (M, N)
        float[] values = logits.toFloatArray();
        int m = values.length / experts;
        int[][] top = new int[m][];
        float[] exclude = new float[values.length]; // (M, N)
        float[] gates = new float[values.length];
        for (int t = 0; t < m; t++) {
            top[t] = topK(values, t * experts);
            java.util.Arrays.fill(exclude, t * experts, (t + 1) * experts, EXCLUDED);
            double max = values[t * experts + top[t][0]];
            double sum = 0;
            for (int i : top[t]) {
                exclude[t * experts + i] = 0f;
                sum += Math.exp(values[t * experts + i] - max);
            }
            for (int i : top[t]) {
                gates[t * experts + i] = (float) (Math.exp(values[t * experts + i] - max) / sum);
            }
        }
        NDArray gated = logits.add(x.getManager().create(exclude, logits.getShape())).softmax(-1); // (M, N)
        return new Routing(logits, gated, top, gates);
    }

    /** Indices of the k largest values in row [offset, offset + N), best first; ties go to the lower index. */
    private int[] topK(float[] values, int offset) {
        int[] best = new int[k];
        boolean[] taken = new boolean[experts];
        for (int j = 0; j < k; j++) {
            int arg = -1;
            for (int i = 0; i < experts; i++) {
                if (!taken[i] && (arg < 0 || values[offset + i] > values[offset + arg])) {
                    arg = i;
                }
            }
            taken[arg] = true;
            best[j] = arg;
        }
        return best;
    }

    AdapterParameter parameter() {
        return new AdapterParameter("moelora_router.weight", weight, new long[] {experts, in}, PeftLayout.TRANSPOSE, true);
    }
}
