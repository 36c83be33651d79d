package io.moelora.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entropy and task information of top-1 histograms against values worked out by hand. */
class RoutingMeasuresTest {

    @Test
    void entropyOfCounts() {
        assertThat(RoutingMeasures.entropy(new long[] {5, 5, 5, 5})).isCloseTo(Math.log(4), within(1e-12));
        assertThat(RoutingMeasures.entropy(new long[] {0, 7, 0})).isZero();
        // p = (1/4, 3/4): -(1/4 ln 1/4 + 3/4 ln 3/4)
        assertThat(RoutingMeasures.entropy(new long[] {1, 3})).isCloseTo(0.5623351446188083, within(1e-12));
        assertThat(RoutingMeasures.entropy(new long[] {0, 0})).isZero();
    }

    @Test
    void mutualInformationBetweenTaskAndExpert() {
        // each task to its own expert: I = H(task) = ln 2
        assertThat(RoutingMeasures.mutualInformation(new long[][] {{4, 0}, {0, 4}})).isCloseTo(Math.log(2), within(1e-12));
        // tasks routed alike: 0
        assertThat(RoutingMeasures.mutualInformation(new long[][] {{3, 1}, {6, 2}})).isCloseTo(0, within(1e-12));
        // p(t,e) = [[3/8, 1/8], [1/8, 3/8]], marginals 1/2: I = 2·3/8 ln(3/2) + 2·1/8 ln(1/2)
        double expected = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
        assertThat(RoutingMeasures.mutualInformation(new long[][] {{3, 1}, {1, 3}})).isCloseTo(expected, within(1e-12));
    }

    @Test
    void moduleSummaries() {
        Map<String, long[]> top1 = new LinkedHashMap<>();
        top1.put("a", new long[] {2, 0, 0, 0});
        top1.put("b", new long[] {0, 0, 6, 0});
        ModuleRouting m = new ModuleRouting("0.q_proj", top1, Map.of("a", 0.5, "b", 0.1));
        assertThat(m.shares("b")).containsExactly(0, 0, 1, 0);
        assertThat(m.loadEntropy()).isCloseTo(RoutingMeasures.entropy(new long[] {2, 0, 6, 0}), within(1e-12));
        assertThat(m.taskInformation()).isCloseTo(RoutingMeasures.entropy(new long[] {2, 6}), within(1e-12));
        assertThat(m.meanGateEntropy()).isCloseTo((2 * 0.5 + 6 * 0.1) / 8, within(1e-12));
    }
}
