package io.moelora.bench;

/**
 * Model FLOPs of the adapter benchmark's cases, counting matrix multiplications only (norms, softmax,
 * rotary, element-wise ops and the optimizer are left out, as model-FLOPs utilisation usually does).
 * One multiply-add is 2 FLOPs. With B sequences of T tokens, n = B*T, width d, SwiGLU width f, L layers,
 * vocab V, multi-head attention (q, k, v, o all d x d):
 *
 * <pre>
 *   base matmul weights   P    = L*(4*d*d + 3*d*f) + d*V             q, k, v, o; gate, up, down; lm_head
 *   forward               Ffw  = 2*n*P + L*4*B*T^2*d                 attention: Q K^T and A V over the full
 *                                                                     T x T (the causal mask does not skip work)
 *   backward, frozen base Fbw  = 2*n*P - 2*n*3*d*d + L*8*B*T^2*d     input gradients only (no weight gradients
 *                                                                     for the base): one matmul per linear, minus
 *                                                                     layer 0's q, k, v, whose input (the frozen
 *                                                                     embedding) needs none; attention backward
 *                                                                     is dP = dO V^T, dV = P^T dO, dQ = dS K,
 *                                                                     dK = dS^T Q: twice its forward
 *   LoRA, per target d_in -> d_out, rank r:
 *                         Fa   = 6*n*r*(d_in + d_out)                forward 2nr(d_in + d_out); backward: weight
 *                                                                     gradients of A, B and input gradients, twice that
 *   MoELoRA (N experts of rank r_e, N*r_e = r, all experts in one matmul pair, as both sides compute it):
 *                         Fa   = 6*n*r*(d_in + d_out) + 6*n*d_in*N   + the router d_in -> N, forward and backward
 *   step = Ffw + Fbw + sum of Fa over the adapted modules;  base_forward = Ffw.
 * </pre>
 *
 * The contrastive loss adds at most (64*N)^2*d_out per module (the sampled similarity matrix), under 1 %
 * at these sizes, and is not counted.
 */
final class StepFlops {

    private StepFlops() {}

    static double forward(ModelShape s, int batch, int seq) {
        double n = (double) batch * seq;
        double d = s.dim();
        double p = s.layers() * (4 * d * d + 3 * d * s.hidden()) + d * s.vocab();
        return 2 * n * p + s.layers() * 4.0 * batch * seq * seq * d;
    }

    static double backwardFrozen(ModelShape s, int batch, int seq) {
        double n = (double) batch * seq;
        double d = s.dim();
        double p = s.layers() * (4 * d * d + 3 * d * s.hidden()) + d * s.vocab();
        return 2 * n * p - 2 * n * 3 * d * d + s.layers() * 8.0 * batch * seq * seq * d;
    }

    /**
     * @param experts 0 for LoRA, else MoELoRA's N (the router's width)
     * @param targets adapted projections per layer; every one here is d -> d (q_proj, v_proj)
     */
    static double adapters(ModelShape s, int batch, int seq, int rank, int experts, int targets) {
        double n = (double) batch * seq;
        double d = s.dim();
        double perModule = 6 * n * rank * (d + d) + (experts > 0 ? 6 * n * d * experts : 0);
        return s.layers() * targets * perModule;
    }

    /** FLOPs of one iteration of an {@link AdapterBench} case. */
    static double ofCase(String c, ModelShape s, int batch, int seq, int rank, int experts, int targets) {
        double base = forward(s, batch, seq);
        return switch (c) {
            case "base_forward" -> base;
            case "lora_step" -> base + backwardFrozen(s, batch, seq) + adapters(s, batch, seq, rank, 0, targets);
            case "moelora_step", "moelora_cl_step" ->
                    base + backwardFrozen(s, batch, seq) + adapters(s, batch, seq, rank, experts, targets);
            default -> throw new IllegalArgumentException("unknown case '" + c + "'");
        };
    }
}
