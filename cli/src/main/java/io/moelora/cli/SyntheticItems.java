package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SyntheticSuites;
import java.util.ArrayList;
import java.util.List;

/** Training items of the built-in suites as push items, mixed so a stream carries every task throughout. */
final class SyntheticItems {

    private SyntheticItems() {}

    /** {@code count} items of each suite, round-robin: suite 1 item 0, suite 2 item 0, suite 1 item 1, ... */
    static List<JsonNode> interleaved(List<String> suites, long seed, int count) {
        List<List<SuiteExample>> bySuite = new ArrayList<>();
        for (String suite : suites) {
            bySuite.add(SyntheticSuites.trainingExamples(suite, seed, count));
        }
        List<JsonNode> out = new ArrayList<>(suites.size() * count);
        for (int i = 0; i < count; i++) {
            for (int s = 0; s < suites.size(); s++) {
                SuiteExample e = bySuite.get(s).get(i);
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("instruction", e.instruction());
                n.put("input", e.input());
                n.put("output", e.output());
                n.put("task", suites.get(s));
                out.add(n);
            }
        }
        return out;
    }
}
