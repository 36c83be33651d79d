package io.moelora.core.eval;

import io.moelora.core.eval.extract.PythonFloat;
import java.util.ArrayList;
import java.util.List;

/**
 * A suite's spec with its validated items, ready to prompt and score.
 *
 * @param spec the registry entry
 * @param items the items in file order; {@code items.get(i).index() == i}
 */
public record Suite(SuiteSpec spec, List<SuiteItem> items) {

    public Suite {
        if (spec == null || items == null || items.isEmpty()) {
            throw new IllegalArgumentException("a suite needs a spec and at least one item");
        }
        items = List.copyOf(items);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).index() != i) {
                throw new IllegalArgumentException("suite " + spec.name() + ": item at position " + i
                        + " has index " + items.get(i).index());
            }
        }
    }

    /**
     * Builds a suite from file records, checking every gold answer: numeric suites need a finite
     * number that Python's {@code float()} reads, label suites one of the spec's labels.
     *
     * @param source names the origin (a file) in error messages
     */
    public static Suite of(SuiteSpec spec, List<SuiteExample> examples, String source) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(source + ": no items");
        }
        List<SuiteItem> items = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            SuiteExample e = examples.get(i);
            checkGold(spec, e.answer(), source + ": item " + i + ": field 'answer': ");
            items.add(new SuiteItem(i, e.instruction(), e.input(), e.answer()));
        }
        return new Suite(spec, items);
    }

    public int size() {
        return items.size();
    }

    private static void checkGold(SuiteSpec spec, String answer, String where) {
        if (spec.gold() == GoldKind.NUMBER) {
            double value;
            try {
                value = PythonFloat.parse(answer);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "'" + answer + "' is not a number (suite " + spec.name()
                        + " has numeric answers)");
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(where + "'" + answer + "' is not a finite number");
            }
        } else if (!spec.labels().contains(answer)) {
            throw new IllegalArgumentException(where + "'" + answer + "' is not a label of suite " + spec.name()
                    + "; allowed: " + String.join(", ", spec.labels()));
        }
    }
}
