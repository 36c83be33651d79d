package io.moelora.cli.experiment;

/** Entropy and mutual information of top-1 expert counts, in nats. */
final class RoutingMeasures {

    private RoutingMeasures() {}

    /** Entropy of the distribution proportional to {@code counts}; 0 for no counts. */
    static double entropy(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /**
     * I(task; expert) of a contingency table, rows = tasks, columns = experts:
     * {@code Σ p(t,e) ln(p(t,e) / (p(t) p(e)))}.
     *
     * @param table (tasks, experts) token counts
     */
    static double mutualInformation(long[][] table) {
        int experts = table[0].length;
        long n = 0;
        long[] perExpert = new long[experts];
        long[] perTask = new long[table.length];
        for (int t = 0; t < table.length; t++) {
            for (int e = 0; e < experts; e++) {
                perTask[t] += table[t][e];
                perExpert[e] += table[t][e];
                n += table[t][e];
            }
        }
        double mi = 0;
        for (int t = 0; t < table.length; t++) {
            for (int e = 0; e < experts; e++) {
                long c = table[t][e];
                if (c > 0) {
                    mi += (double) c / n * Math.log((double) c * n / ((double) perTask[t] * perExpert[e]));
                }
            }
        }
        return Math.max(0, mi);
    }
}
