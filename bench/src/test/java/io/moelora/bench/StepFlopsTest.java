package io.moelora.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The FLOP counts RESULTS.md quotes, worked out by hand from the formula in {@link StepFlops}. */
class StepFlopsTest {

    @Test
    void shapesFollowLlamasSwiGluRule() {
        assertThat(ModelShape.llama(256)).isEqualTo(new ModelShape(256, 4, 4, 688, 1024));
        assertThat(ModelShape.llama(512)).isEqualTo(new ModelShape(512, 4, 8, 1376, 1024));
    }

    @Test
    void dim256() {
        ModelShape s = ModelShape.llama(256);
        // P = 4*(4*256^2 + 3*256*688) + 256*1024 = 3,424,256; n = 1024
        double forward = 2.0 * 1024 * 3_424_256 + 4 * 4.0 * 8 * 128 * 128 * 256;
        double backward = 2.0 * 1024 * 3_424_256 - 2.0 * 1024 * 3 * 256 * 256 + 4 * 8.0 * 8 * 128 * 128 * 256;
        double lora = 4 * 2 * 6.0 * 1024 * 8 * 512;
        double router = 4 * 2 * 6.0 * 1024 * 256 * 4;
        assertThat(StepFlops.ofCase("base_forward", s, 8, 128, 8, 4, 2)).isCloseTo(forward, within(1.0));
        assertThat(StepFlops.ofCase("lora_step", s, 8, 128, 8, 4, 2)).isCloseTo(forward + backward + lora, within(1.0));
        assertThat(StepFlops.ofCase("moelora_cl_step", s, 8, 128, 8, 4, 2))
                .isCloseTo(forward + backward + lora + router, within(1.0));
        assertThat(StepFlops.ofCase("lora_step", s, 8, 128, 8, 4, 2) / 1e9).isCloseTo(15.435, within(0.001));
    }

    @Test
    void dim512() {
        ModelShape s = ModelShape.llama(512);
        assertThat(StepFlops.ofCase("base_forward", s, 8, 128, 8, 4, 2) / 1e9).isCloseTo(28.052, within(0.001));
        assertThat(StepFlops.ofCase("lora_step", s, 8, 128, 8, 4, 2) / 1e9).isCloseTo(55.969, within(0.001));
        assertThat(StepFlops.ofCase("moelora_step", s, 8, 128, 8, 4, 2) / 1e9).isCloseTo(56.070, within(0.001));
    }
}
