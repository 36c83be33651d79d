package io.moelora.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.moelora.core.runtime.DjlRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against hand-computed torch.optim.AdamW updates, and NaN-safe gradient zeroing. */
class AdamWTest {

    private static void backward(NDArray p, float[] weights, NDManager m) {
        DjlRuntime.trainingMode();
        try (GradientCollector c = DjlRuntime.engine().newGradientCollector()) {
            c.backward(p.mul(m.create(weights)).sum()); // grad = weights
        } finally {
            DjlRuntime.inferenceMode();
        }
    }

    @Test
    void updatesLikeTorchAdamWAndZeroesEvenNaNGradients() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray p = m.create(new float[] {1f, -2f});
            p.setRequiresGradient(true);
            try (AdamW adam = new AdamW(Map.of("p", p), 0.9, 0.999, 1e-8, 0.1)) {
                backward(p, new float[] {0.5f, -1f}, m);
                adam.step(0.01);
                // step 1: m̂ = g, v̂ = g², update = lr·g/(|g|+eps); decay first: p·(1 − lr·wd)
                float[] after = p.toFloatArray();
                assertThat(after[0]).isCloseTo((float) (1 * (1 - 0.001) - 0.01 * 0.5 / (0.5 + 1e-8)), within(1e-6f));
                assertThat(after[1]).isCloseTo((float) (-2 * (1 - 0.001) + 0.01 * 1 / (1 + 1e-8)), within(1e-6f));
                try (NDArray g = p.getGradient()) {
                    assertThat(g.toFloatArray()).containsExactly(0f, 0f);
                }

                backward(p, new float[] {Float.NaN, Float.POSITIVE_INFINITY}, m);
                adam.zeroGradients();
                try (NDArray g = p.getGradient()) {
                    assertThat(g.toFloatArray()).containsExactly(0f, 0f);
                }
                backward(p, new float[] {2f, 3f}, m); // the gradient storage still works after zeroing
                try (NDArray g = p.getGradient()) {
                    assertThat(g.toFloatArray()).containsExactly(2f, 3f);
                }
                assertThat(adam.parametersFinite()).isTrue();
            }
        }
    }
}
