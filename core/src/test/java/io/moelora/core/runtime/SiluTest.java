package io.moelora.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** silu through the TorchScript module while autograd records, the eager composition otherwise. */
class SiluTest {

    private static final int N = 801;

    /** x from -20 to 20 in steps of 0.05: saturated tails, the minimum near -1.28, zero. */
    private static float[] grid() {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = -20f + 0.05f * i;
        }
        return x;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void recordsLibtorchsSiluAndItsGradient() {
        float[] xs = grid();
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.trainingMode();
            try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                NDArray x = m.create(xs); // (N)
                x.setRequiresGradient(true);
                NDArray y = Silu.apply(x); // (N)
                // the fused op's own backward node, not the eager product's MulBackward0
                assertThat(JniUtils.getGradientFunctionNames((PtNDArray) y)).startsWith("SiluBackward");
                collector.backward(y.sum());
                float[] out = y.toFloatArray();
                float[] grad = x.getGradient().toFloatArray();
                for (int i = 0; i < N; i++) {
                    double s = sigmoid(xs[i]);
                    assertThat((double) out[i]).as("silu(%s)", xs[i]).isCloseTo(xs[i] * s, within(2e-6 * Math.max(1, Math.abs(xs[i]))));
                    assertThat((double) grad[i]).as("silu'(%s)", xs[i]).isCloseTo(s * (1 + xs[i] * (1 - s)), within(2e-6));
                }
            } finally {
                DjlRuntime.inferenceMode();
            }
        }
    }

    @Test
    void computesTheSameFunctionOnLargeArraysWithoutRecording() {
        // a prompt-sized array takes the module without recording: same values, nothing recorded
        int n = (int) Silu.FUSED_MIN_ELEMENTS * 2;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -20f + 40f * i / n;
        }
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            NDArray y = Silu.apply(m.create(xs)); // (n)
            assertThat(JniUtils.requiresGrad((PtNDArray) y)).isFalse();
            float[] out = y.toFloatArray();
            for (int i = 0; i < n; i += 97) {
                assertThat((double) out[i]).isCloseTo(xs[i] * sigmoid(xs[i]), within(2e-6 * Math.max(1, Math.abs(xs[i]))));
            }
        }
    }

    @Test
    void computesTheSameFunctionWithoutRecording() {
        float[] xs = grid();
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            NDArray y = Silu.apply(m.create(xs)); // (N)
            assertThat(JniUtils.requiresGrad((PtNDArray) y)).isFalse();
            float[] out = y.toFloatArray();
            for (int i = 0; i < N; i++) {
                assertThat((double) out[i]).isCloseTo(xs[i] * sigmoid(xs[i]), within(2e-6 * Math.max(1, Math.abs(xs[i]))));
            }
        }
    }
}
