package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.adapter.AdapterParameter;
import io.moelora.core.adapter.Init;
import io.moelora.core.adapter.PeftLayout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * N LoRA experts of rank r_e stored stacked: all A side by side as one (d_in, N·r_e) matrix and all B
 * stacked as one (N·r_e, d_out) matrix. A token's gated mixture is then two matMuls whatever N is:
 * {@code ((x A) ∘ g⊗1_r) B}, the same cost as one LoRA of rank N·r_e, with no loop over experts.
 */
final class LoraExperts {

    private final NDArray a; // (d_in, N*r_e): column block n is A_n^T
    private final NDArray b; // (N*r_e, d_out): row block n is B_n^T
    private final int experts;
    private final int rank;
    private final int in;
    private final int out;

    private LoraExperts(NDArray a, NDArray b, int experts, int rank, int in, int out) {
        this.a = a;
        this.b = b;
        this.experts = experts;
        this.rank = rank;
        this.in = in;
        this.out = out;
    }

    /** A Kaiming-uniform per expert (a = √5), B = 0: the mixture starts as the identity. */
    static LoraExperts initialised(int experts, int rank, int in, int out, NDManager params, SplittableRandom rng) {
        long[] aShape = {experts, rank, in};
        float[] aPeft = Init.kaimingUniform(experts * rank * in, in, rng);
        NDArray a = params.create(PeftLayout.STACKED_COLUMNS.fromPeft(aPeft, aShape), new Shape(in, (long) experts * rank));
        NDArray b = params.zeros(new Shape((long) experts * rank, out));
        return new LoraExperts(a, b, experts, rank, in, out);
    }

    /**
     * @param x adapter input, shape (M, d_in)
     * @return every expert's down-projection, shape (M, N·r_e)
     */
    NDArray down(NDArray x) {
        return x.matMul(a);
    }

    /**
     * @param xa {@link #down} output, shape (M, N·r_e)
     * @param gates shape (M, N)
     * @return Σ_i g_i B_i A_i x, shape (M, d_out)
     */
    NDArray mix(NDArray xa, NDArray gates) {
        long m = xa.getShape().get(0);
        NDArray gated = xa.reshape(m, experts, rank).mul(gates.expandDims(-1)); // (M, N, r_e)
        return gated.reshape(m, (long) experts * rank).matMul(b);
    }

    /**
     * Ungated outputs e_i(x_t) = B_i A_i x_t of selected (token, expert) pairs, as one matMul: each
     * sample's row of {@code xa} keeps only its expert's r_e-wide block, then meets all of B.
     *
     * @param xa {@link #down} output, shape (M, N·r_e)
     * @param tokens token index per sample
     * @param expertIds expert per sample
     * @return shape (S, d_out)
     */
    NDArray sampleOutputs(NDArray xa, int[] tokens, int[] expertIds) {
        NDManager manager = xa.getManager();
        int s = tokens.length;
        int width = experts * rank;
        long[] rows = new long[s];
        float[] block = new float[s * width]; // (S, N·r_e): 1 on the sample's expert block
        for (int j = 0; j < s; j++) {
            rows[j] = tokens[j];
            java.util.Arrays.fill(block, j * width + expertIds[j] * rank, j * width + (expertIds[j] + 1) * rank, 1f);
        }
        NDArray picked = xa.get(new NDIndex("{}", manager.create(rows))); // (S, N·r_e)
        return picked.mul(manager.create(block, new Shape(s, width))).matMul(b);
    }

    int experts() {
        return experts;
    }

    List<AdapterParameter> parameters() {
        return List.of(
                new AdapterParameter("moelora_A.weight", a, new long[] {experts, rank, in}, PeftLayout.STACKED_COLUMNS, false),
                new AdapterParameter("moelora_B.weight", b, new long[] {experts, out, rank}, PeftLayout.STACKED_ROWS, false));
    }
}
