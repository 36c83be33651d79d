package io.moelora.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs named cases in rounds, every case once per round, so that cases compared with each other see the
 * same machine state (a shared machine drifts by tens of percent over minutes). Odd rounds run the
 * cases in reverse order, so a slow drift does not always favour the case that runs first.
 */
final class AlternatingRounds {

    /** One timed run of a case; returns its figure (tokens/s, ms, ...). */
    @FunctionalInterface
    interface Measurement {
        double measure() throws Exception;
    }

    private record Case(String unit, Measurement measurement, List<Double> samples) {}

    private final Map<String, Case> cases = new LinkedHashMap<>();

    AlternatingRounds add(String name, String unit, Measurement m) {
        if (cases.put(name, new Case(unit, m, new ArrayList<>())) != null) {
            throw new IllegalArgumentException("case '" + name + "' added twice");
        }
        return this;
    }

    /**
     * Runs {@code rounds} rounds and prints each figure as it comes.
     *
     * @param warmUp run every case once, untimed, first (JIT, allocator pools); cases that warm up
     *     inside their measurement skip it
     */
    AlternatingRounds run(int rounds, boolean warmUp) throws Exception {
        if (warmUp) {
            for (Case c : cases.values()) {
                c.measurement().measure();
            }
        }
        List<String> order = new ArrayList<>(cases.keySet());
        for (int round = 0; round < rounds; round++) {
            List<String> thisRound = new ArrayList<>(order);
            if (round % 2 == 1) {
                Collections.reverse(thisRound);
            }
            for (String name : thisRound) {
                Case c = cases.get(name);
                double v = c.measurement().measure();
                c.samples().add(v);
                System.out.printf("  round %d  %-32s %10.2f %s%n", round + 1, name, v, c.unit());
            }
        }
        return this;
    }

    /** The figures of a case, one per round, in round order. */
    List<Double> samples(String name) {
        Case c = cases.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no case '" + name + "'");
        }
        return c.samples();
    }

    double median(String name) {
        return Stats.median(samples(name));
    }

    /** Median over rounds of case a / case b in the same round. */
    double pairedRatio(String a, String b) {
        return Stats.pairedRatio(samples(a), samples(b));
    }
}
