package io.moelora.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.moelora.core.runtime.DjlRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RMSNorm scales by its weight in place. With a trainable weight (base pretraining) libtorch must keep
 * the unscaled values for the weight's gradient: both gradients are checked against the closed form.
 */
class RmsNormGradientTest {

    private static final int ROWS = 3;
    private static final int D = 8;
    private static final double EPS = 1e-5;

    @Test
    void gradientsOfInputAndTrainableWeightMatchTheClosedForm() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = random(ROWS * D, rng); // (ROWS, D)
        float[] w = random(D, rng); // (D)
        float[] c = random(ROWS * D, rng); // (ROWS, D): loss = Σ c ∘ y
        try (NDManager manager = DjlRuntime.newManager()) {
            NDArray weight = manager.create(w); // (D)
            NDArray input = manager.create(x, new Shape(ROWS, D)); // (ROWS, D)
            weight.setRequiresGradient(true);
            input.setRequiresGradient(true);
            RmsNorm norm = new RmsNorm(weight, manager.create((float) EPS));
            float[] y;
            DjlRuntime.trainingMode();
            try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                NDArray out = norm.forward(input); // (ROWS, D)
                y = out.toFloatArray();
                collector.backward(out.mul(manager.create(c, new Shape(ROWS, D))).sum());
            } finally {
                DjlRuntime.inferenceMode();
            }
            float[] weightGrad = weight.getGradient().toFloatArray(); // (D)
            float[] inputGrad = input.getGradient().toFloatArray(); // (ROWS, D)

            double[] expectedWeightGrad = new double[D];
            for (int row = 0; row < ROWS; row++) {
                int o = row * D;
                double meanSquare = 0;
                for (int i = 0; i < D; i++) {
                    meanSquare += (double) x[o + i] * x[o + i] / D;
                }
                double r = 1 / Math.sqrt(meanSquare + EPS);
                double cwx = 0; // Σ_i c_i w_i x_i
                for (int i = 0; i < D; i++) {
                    assertThat(y[o + i]).as("y").isCloseTo((float) (w[i] * x[o + i] * r), within(1e-5f));
                    expectedWeightGrad[i] += c[o + i] * x[o + i] * r;
                    cwx += (double) c[o + i] * w[i] * x[o + i];
                }
                for (int j = 0; j < D; j++) {
                    // d/dx_j of Σ_i c_i w_i x_i r: c_j w_j r + Σ_i c_i w_i x_i · (−r³ x_j / D)
                    double expected = c[o + j] * w[j] * r - cwx * r * r * r * x[o + j] / D;
                    assertThat(inputGrad[o + j]).as("dL/dx[%d][%d]", row, j).isCloseTo((float) expected, within(1e-4f));
                }
            }
            for (int i = 0; i < D; i++) {
                assertThat(weightGrad[i]).as("dL/dw[%d]", i).isCloseTo((float) expectedWeightGrad[i], within(1e-4f));
            }
        }
    }

    private static float[] random(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
