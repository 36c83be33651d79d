package io.moelora.core.adapter;

import java.util.SplittableRandom;

/** Seeded parameter initialisation in Java, so a seed fixes an adapter on any engine and thread count. */
public final class Init {

    private Init() {}

    /**
     * Kaiming-uniform with a = sqrt(5), as {@code nn.Linear} initialises its weight: U(-b, b) with
     * b = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)), which is 1 / sqrt(fan_in).
     */
    public static float[] kaimingUniform(int count, int fanIn, SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return out;
    }

    /** N(0, std^2) samples. */
    public static float[] normal(int count, double std, SplittableRandom rng) {
        float[] out = new float[count];
        for (int i = 0; i < count; i += 2) {
            // Box-Muller: two samples per pair of uniforms
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1)) * std;
            out[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
            if (i + 1 < count) {
                out[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
            }
        }
        return out;
    }
}
