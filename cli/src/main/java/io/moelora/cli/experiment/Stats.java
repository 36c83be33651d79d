package io.moelora.cli.experiment;

import java.util.List;

/**
 * Mean and sample standard deviation over seeds.
 *
 * @param std the sample standard deviation (n − 1); 0 for a single value
 */
record Stats(double mean, double std, int n) {

    static Stats of(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Stats(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n);
    }

    /** {@code 12.34 ± 0.56} with {@code digits} decimals; the mean alone for one value (no spread to state). */
    String format(int digits) {
        if (n < 2) {
            return String.format("%." + digits + "f", mean);
        }
        return String.format("%." + digits + "f ± %." + digits + "f", mean, std);
    }
}
