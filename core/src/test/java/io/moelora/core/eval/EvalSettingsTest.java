package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.generate.BeamSearch;
import org.junit.jupiter.api.Test;

/** The shared defaults, so the CLI and the eval service score the same subset the same way. */
class EvalSettingsTest {

    @Test
    void protocolDefaultsWithBeamsAndLimit() {
        assertThat(EvalSettings.of(EvalSettings.REFERENCE_BEAMS, 50)).isEqualTo(
                new EvalSettings(4, 1.0, BeamSearch.LengthMode.GENERATED, 50, 42, 8, null));
        assertThat(EvalSettings.of(1, null).decoding()).isEqualTo("greedy");
    }

    @Test
    void itemsIsTheLimitCappedBySuiteSize() {
        assertThat(EvalSettings.of(1, 8).items(200)).isEqualTo(8);
        assertThat(EvalSettings.of(1, 500).items(200)).isEqualTo(200);
        assertThat(EvalSettings.of(1, null).items(200)).isEqualTo(200);
    }
}
