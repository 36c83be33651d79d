package io.moelora.eval.service;

import io.moelora.core.eval.EvalSettings;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteSpec;
import io.moelora.events.Decoding;
import io.moelora.events.EvalSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's {@code eval} spec translated into the core's terms: which suites, how many items, which
 * decoding. A suite name the registry does not know is refused on its own; the others still run.
 *
 * @param suites   the suites to score, canonical names, each once, in the order the job gave them
 * @param unknown  names that are no suite, with the reason
 * @param settings decoding and item subset ({@code limit} 0 means every item)
 * @param decoding the job's decoding, as results report it
 */
public record EvalPlan(List<SuiteSpec> suites, Map<String, String> unknown, EvalSettings settings, Decoding decoding) {

  /**
   * @param defaultSuites suites (names or groups, comma-separated) for a spec that names none
   */
  public static EvalPlan of(EvalSpec spec, String defaultSuites, SuiteRegistry registry) {
    List<String> names = spec.suites().isEmpty() ? List.of(defaultSuites.split(",")) : spec.suites();
    Set<SuiteSpec> suites = new LinkedHashSet<>();
    Map<String, String> unknown = new LinkedHashMap<>();
    for (String name : names) {
      try {
        suites.addAll(registry.resolve(name));
      } catch (IllegalArgumentException e) {
        unknown.put(name.strip(), e.getMessage());
      }
    }
    int beams = spec.decoding() == Decoding.GREEDY ? 1 : EvalSettings.REFERENCE_BEAMS;
    EvalSettings settings = EvalSettings.of(beams, spec.limit() == 0 ? null : spec.limit());
    return new EvalPlan(new ArrayList<>(suites), unknown, settings, spec.decoding());
  }

  public EvalPlan {
    suites = List.copyOf(suites);
    unknown = Map.copyOf(unknown);
  }
}
