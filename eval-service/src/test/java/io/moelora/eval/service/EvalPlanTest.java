package io.moelora.eval.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.eval.EvalSettings;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteSpec;
import io.moelora.events.Decoding;
import io.moelora.events.EvalSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's eval spec in the core's terms. */
class EvalPlanTest {

  private static final SuiteRegistry REGISTRY = SuiteRegistry.standard();

  @Test
  void referenceDecodingWithTheJobsLimit() {
    EvalPlan plan = EvalPlan.of(new EvalSpec(List.of("gsm8k", "boolq"), 50, Decoding.BEAM4), "synthetic", REGISTRY);

    assertThat(plan.suites()).extracting(SuiteSpec::name).containsExactly("gsm8k", "boolq");
    assertThat(plan.settings()).isEqualTo(EvalSettings.of(4, 50));
    assertThat(plan.decoding()).isEqualTo(Decoding.BEAM4);
    assertThat(plan.unknown()).isEmpty();
  }

  @Test
  void greedyEveryItemAndCanonicalNamesEachOnce() {
    EvalPlan plan = EvalPlan.of(new EvalSpec(List.of("GSM8K", "math"), 0, Decoding.GREEDY), "synthetic", REGISTRY);

    assertThat(plan.settings().beams()).isEqualTo(1);
    assertThat(plan.settings().limit()).isNull();
    assertThat(plan.suites()).extracting(SuiteSpec::name)
        .containsExactly("gsm8k", "AddSub", "AQuA", "MultiArith", "SingleEq", "SVAMP", "mawps");
  }

  @Test
  void aJobNamingNoSuitesGetsTheServiceDefaults() {
    EvalPlan plan = EvalPlan.of(EvalSpec.DEFAULTS, "synthetic", REGISTRY);

    assertThat(plan.suites()).extracting(SuiteSpec::name).containsExactly("synthetic-addsub", "synthetic-choice",
        "synthetic-truefalse");
  }

  @Test
  void unknownSuitesAreSetAsideWithTheReasonAndTheOthersRun() {
    EvalPlan plan = EvalPlan.of(new EvalSpec(List.of("boolq", "no-such-suite"), 0, Decoding.BEAM4), "synthetic",
        REGISTRY);

    assertThat(plan.suites()).extracting(SuiteSpec::name).containsExactly("boolq");
    assertThat(plan.unknown()).containsOnlyKeys("no-such-suite");
    assertThat(plan.unknown().get("no-such-suite")).startsWith("unknown suite 'no-such-suite'; valid suites:");
  }
}
