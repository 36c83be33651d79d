package io.moelora.core.adapter;

/**
 * Routing of one MoELoRA module in one forward call, over non-padding tokens.
 *
 * @param layer decoder layer
 * @param module slot name
 * @param top1Counts tokens whose top-1 expert is each expert, length N
 * @param meanGateEntropy mean entropy (nats) of the top-k gate distribution
 * @param tokens non-padding tokens routed
 */
public record RoutingStats(int layer, String module, long[] top1Counts, double meanGateEntropy, long tokens) {

    /** "layer.module", the key used in metrics events. */
    public String key() {
        return layer + "." + module;
    }

    /** Top-1 load as fractions of the tokens, length N. */
    public double[] load() {
        double[] out = new double[top1Counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens == 0 ? 0 : (double) top1Counts[i] / tokens;
        }
        return out;
    }
}
