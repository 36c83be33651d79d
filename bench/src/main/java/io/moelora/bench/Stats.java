package io.moelora.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and paired ratios: the summary statistics every benchmark here reports. */
final class Stats {

    private Stats() {}

    static double median(double[] xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double median(List<Double> xs) {
        return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Median over rounds of {@code a[i] / b[i]}: a ratio of two cases measured in the same round sees
     * the same machine state, so it is steadier than the ratio of two medians on a shared machine.
     */
    static double pairedRatio(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.size() + " vs " + b.size());
        }
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i) / b.get(i);
        }
        return median(r);
    }
}
