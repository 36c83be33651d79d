package io.moelora.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void pairedRatioIsTheMedianOfPerRoundRatios() {
        // round 2 is slow for both cases: the paired ratio stays 2, the ratio of medians would not
        assertThat(Stats.pairedRatio(List.of(2.0, 20.0, 4.0), List.of(1.0, 10.0, 2.0))).isEqualTo(2.0);
        assertThatThrownBy(() -> Stats.pairedRatio(List.of(1.0), List.of(1.0, 2.0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsTakeNamedAndPositionalArguments() {
        BenchOptions o = new BenchOptions(new String[] {"3", "--dims", "256,512", "10", "--torch", "off"});
        assertThat(o.positional(0, 1)).isEqualTo(3);
        assertThat(o.positional(1, 1)).isEqualTo(10);
        assertThat(o.positional(2, 7)).isEqualTo(7);
        assertThat(o.integers("--dims", "256")).containsExactly(256, 512);
        assertThat(o.string("--torch", "on")).isEqualTo("off");
        assertThat(o.list("--beams", "none")).isEmpty();
    }
}
