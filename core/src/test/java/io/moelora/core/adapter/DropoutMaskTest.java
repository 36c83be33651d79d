package io.moelora.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.DjlRuntime;
import org.junit.jupiter.api.Test;

/** The dropout mask: i.i.d. Bernoulli(p) drops, inverted scaling, reproducible from its seed. */
class DropoutMaskTest {

    @Test
    void dropsAboutPOfTheElementsAndScalesTheRest() {
        for (double p : new double[] {0.05, 0.1, 0.5, 0.9}) {
            int n = 1_000_000;
            float[] mask = ModuleCall.dropoutMask(n, p, 7);
            float keep = (float) (1.0 / (1.0 - p));
            int dropped = 0;
            for (float v : mask) {
                assertThat(v).isIn(0f, keep);
                dropped += v == 0f ? 1 : 0;
            }
            // binomial standard deviation sqrt(n p (1-p)) <= 500: 5 of them
            assertThat((double) dropped).as("p = %s", p).isCloseTo(n * p, within(2500.0));
        }
    }

    @Test
    void dropsIndependentlyOfThePosition() {
        // gaps drawn one after another must not favour the start, the end, or neighbours of a drop
        int n = 2_000_000;
        double p = 0.05;
        float[] mask = ModuleCall.dropoutMask(n, p, 11);
        int firstHalf = 0;
        int secondHalf = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            if (mask[i] == 0f) {
                if (i < n / 2) {
                    firstHalf++;
                } else {
                    secondHalf++;
                }
                if (i + 1 < n && mask[i + 1] == 0f) {
                    pairs++;
                }
            }
        }
        assertThat((double) firstHalf).isCloseTo(n / 2.0 * p, within(800.0));
        assertThat((double) secondHalf).isCloseTo(n / 2.0 * p, within(800.0));
        assertThat((double) pairs).as("adjacent drops: p^2 of the positions").isCloseTo(n * p * p, within(250.0));
    }

    @Test
    void theSameSeedGivesTheSameMaskAndAnotherSeedAnother() {
        assertThat(ModuleCall.dropoutMask(10_000, 0.05, 3)).containsExactly(ModuleCall.dropoutMask(10_000, 0.05, 3));
        assertThat(ModuleCall.dropoutMask(10_000, 0.05, 3)).isNotEqualTo(ModuleCall.dropoutMask(10_000, 0.05, 4));
    }

    @Test
    void theTensorMaskHoldsTheSameValues() {
        // the tensor is made by libtorch from the dropped positions: it must hold exactly the array's values
        try (NDManager manager = DjlRuntime.newManager()) {
            NDArray mask = ModuleCall.dropoutMask(manager, new Shape(3, 5000), 0.3, 9); // (3, 5000)
            assertThat(mask.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(mask.toFloatArray()).containsExactly(ModuleCall.dropoutMask(15_000, 0.3, 9));
        }
    }

    @Test
    void tinyAndNearOneRatesStayInRange() {
        assertThat(ModuleCall.dropoutMask(1000, 1e-12, 5)).containsOnly(1f);
        float[] most = ModuleCall.dropoutMask(1000, 0.999, 5);
        int kept = 0;
        for (float v : most) {
            kept += v == 0f ? 0 : 1;
        }
        assertThat(kept).isBetween(0, 10);
        assertThat(ModuleCall.dropoutMask(0, 0.5, 5)).isEmpty();
    }
}
