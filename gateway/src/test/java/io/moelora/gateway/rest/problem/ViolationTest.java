package io.moelora.gateway.rest.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViolationTest {

  @Test
  void splitsTheFieldFromTheRule() {
    assertThat(Violation.fromMessage("JobSpec: adapter.rank must be in [1, 1024], got 0"))
        .isEqualTo(new Violation("adapter.rank", "must be in [1, 1024], got 0"));
    assertThat(Violation.fromMessage("JobSpec: schemaVersion is required"))
        .isEqualTo(new Violation("schemaVersion", "is required"));
    assertThat(Violation.fromMessage("LeaderboardUpdate: rows[1].rank is required"))
        .isEqualTo(new Violation("rows[1].rank", "is required"));
    assertThat(Violation.fromMessage("JobSpec: adapter.rank: Cannot deserialize value of type `int` from String"))
        .isEqualTo(new Violation("adapter.rank", "Cannot deserialize value of type `int` from String"));
  }

  @Test
  void bodyLevelProblemsNameTheBody() {
    assertThat(Violation.fromMessage("JobSpec: malformed JSON: Unexpected character at line 1, column 2").field())
        .isEqualTo("body");
    assertThat(Violation.fromMessage("JobSpec: expected a JSON object, got ARRAY").field()).isEqualTo("body");
  }

  @Test
  void rulesAboutSeveralFieldsStayWhole() {
    Violation v = Violation.fromMessage(
        "JobSpec: adapter.experts and adapter.topK must be 1 for type lora, got experts=4, topK=2");
    assertThat(v.field()).isEqualTo("adapter.experts");
    assertThat(v.rule()).startsWith("adapter.experts and adapter.topK must be 1");
  }
}
