package io.moelora.cli.experiment;

import java.util.Map;

/**
 * Routing of one adapted module over each task's probe tokens.
 *
 * @param key {@code layer.module}, e.g. {@code 0.q_proj}
 * @param top1 per task, the tokens whose top-1 expert is each expert, length N
 * @param gateEntropy per task, the mean entropy (nats) of the top-k gate distribution over its tokens
 */
record ModuleRouting(String key, Map<String, long[]> top1, Map<String, Double> gateEntropy) {

    /** Experts N. */
    int experts() {
        return top1.values().iterator().next().length;
    }

    /** Per-task shares of the top-1 expert, each row summing to 1 (0 for a task without tokens). */
    double[] shares(String task) {
        long[] c = top1.get(task);
        long n = 0;
        for (long v : c) {
            n += v;
        }
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = n == 0 ? 0 : (double) c[i] / n;
        }
        return out;
    }

    /**
     * Entropy (nats) of the top-1 expert over all tasks' tokens: ln N when the load is uniform, 0 when one
     * expert takes every token.
     */
    double loadEntropy() {
        long[] total = new long[experts()];
        top1.values().forEach(c -> {
            for (int i = 0; i < c.length; i++) {
                total[i] += c[i];
            }
        });
        return RoutingMeasures.entropy(total);
    }

    /**
     * Mutual information (nats) between an example's task and the top-1 expert of its tokens: 0 when every
     * task is routed alike, at most min(ln tasks, ln N) when the experts separate the tasks.
     */
    double taskInformation() {
        return RoutingMeasures.mutualInformation(top1.values().toArray(long[][]::new));
    }

    /** Mean gate entropy over the tasks' tokens. */
    double meanGateEntropy() {
        double sum = 0;
        long tokens = 0;
        for (Map.Entry<String, long[]> e : top1.entrySet()) {
            long n = 0;
            for (long v : e.getValue()) {
                n += v;
            }
            sum += gateEntropy.get(e.getKey()) * n;
            tokens += n;
        }
        return tokens == 0 ? 0 : sum / tokens;
    }
}
