package io.moelora.core.adapter;

import io.moelora.core.model.ProjectionSlots;
import java.util.List;

/**
 * Everything that defines an adapter, with the scale resolved. LoRA uses {@code rank}; MoELoRA uses
 * {@code experts} x {@code expertRank} (the same total rank when {@code experts * expertRank == rank}).
 *
 * @param type registry name: {@code lora} or {@code moelora}
 * @param rank LoRA rank r (MoELoRA: total rank N * r_e)
 * @param alpha scaling numerator
 * @param scale resolved multiplier of the adapter path: alpha / r for LoRA, alpha / (N * r_e) by default for MoELoRA
 * @param dropout dropout probability on the adapter input, in [0, 1)
 * @param targets module names to adapt, e.g. [q_proj, v_proj]
 * @param experts N (1 for LoRA)
 * @param topK experts routed per token
 * @param expertRank r_e per expert
 * @param contrastiveWeight beta
 * @param temperature tau of the contrastive loss
 * @param maxSamples M, cap of contrastive samples per expert per module
 * @param balanceWeight coefficient of the load-balancing loss
 * @param routerInit {@code kaiming} (uniform, like nn.Linear) or {@code normal} (std 0.02)
 */
public record AdapterConfig(
        String type,
        int rank,
        double alpha,
        double scale,
        double dropout,
        List<String> targets,
        int experts,
        int topK,
        int expertRank,
        double contrastiveWeight,
        double temperature,
        int maxSamples,
        double balanceWeight,
        String routerInit) {

    public AdapterConfig {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("adapter type must be set");
        }
        range("rank", rank, 1, 4096);
        range("experts", experts, 1, 256);
        range("topK", topK, 1, experts);
        range("expertRank", expertRank, 1, 4096);
        range("maxSamples", maxSamples, 2, 1 << 16);
        finite("alpha", alpha, 0, Double.MAX_VALUE, false);
        finite("scale", scale, 0, Double.MAX_VALUE, false);
        finite("contrastiveWeight", contrastiveWeight, 0, Double.MAX_VALUE, true);
        finite("balanceWeight", balanceWeight, 0, Double.MAX_VALUE, true);
        finite("temperature", temperature, 0, Double.MAX_VALUE, false);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets must name at least one of " + ProjectionSlots.NAMES);
        }
        for (String t : targets) {
            if (!ProjectionSlots.NAMES.contains(t)) {
                throw new IllegalArgumentException("targets: unknown module '" + t + "', expected one of " + ProjectionSlots.NAMES);
            }
        }
        targets = List.copyOf(targets);
        if (!routerInit.equals("kaiming") && !routerInit.equals("normal")) {
            throw new IllegalArgumentException("routerInit must be kaiming or normal, got " + routerInit);
        }
    }

    /** LoRA with scale alpha / r. */
    public static AdapterConfig lora(int rank, double alpha, double dropout, List<String> targets) {
        return new AdapterConfig("lora", rank, alpha, alpha / rank, dropout, targets, 1, 1, rank, 0, 0.1, 64, 0, "kaiming");
    }

    /** MoELoRA with the default scale alpha / (N * r_e): the LoRA baseline's scale at equal total rank. */
    public static AdapterConfig moelora(int experts, int topK, int expertRank, double alpha, double dropout,
            List<String> targets, double contrastiveWeight, double temperature, int maxSamples, double balanceWeight) {
        return new AdapterConfig("moelora", experts * expertRank, alpha, alpha / (experts * expertRank), dropout, targets,
                experts, topK, expertRank, contrastiveWeight, temperature, maxSamples, balanceWeight, "kaiming");
    }

    /** A copy with another scale (the paper's exact value can be dialled in). */
    public AdapterConfig withScale(double newScale) {
        return new AdapterConfig(type, rank, alpha, newScale, dropout, targets, experts, topK, expertRank,
                contrastiveWeight, temperature, maxSamples, balanceWeight, routerInit);
    }

    /** A copy with another dropout probability. */
    public AdapterConfig withDropout(double p) {
        return new AdapterConfig(type, rank, alpha, scale, p, targets, experts, topK, expertRank,
                contrastiveWeight, temperature, maxSamples, balanceWeight, routerInit);
    }

    private static void range(String field, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    private static void finite(String field, double v, double lo, double hi, boolean allowLo) {
        if (!Double.isFinite(v) || v < lo || (!allowLo && v == lo) || v > hi) {
            throw new IllegalArgumentException(field + " must be finite and " + (allowLo ? ">= " : "> ") + lo + ", got " + v);
        }
    }
}
