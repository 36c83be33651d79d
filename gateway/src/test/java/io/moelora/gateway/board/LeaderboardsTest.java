package io.moelora.gateway.board;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.LeaderboardRow;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderboardsTest {

  private final Leaderboards boards = new Leaderboards();

  static CheckpointPublished checkpoint(String job, String id, long step, long examples) {
    return new CheckpointPublished(1, job, id, step, examples, "file:///c/" + id, "a".repeat(64), AdapterType.MOELORA,
        1000, Map.of(), Instant.parse("2025-01-01T00:00:00Z"));
  }

  static EvalResult result(String job, String checkpoint, String suite, int correct, int n) {
    return new EvalResult(1, job, checkpoint, suite, "1", n, correct, EvalResult.accuracyOf(correct, n),
        suite.contains("choice") || suite.equals("boolq") ? "commonsense" : "numeric", Decoding.GREEDY,
        "llm-adapters-1", 10);
  }

  @Test
  void groupBoardsAverageTheirSuitesAndSyntheticSuitesCountWithTheirFamily() {
    boards.checkpoint(checkpoint("j", "c1", 1, 8));
    boards.result(result("j", "c1", "synthetic-addsub", 1, 4));   // 25
    boards.result(result("j", "c1", "gsm8k", 3, 4));              // 75
    boards.result(result("j", "c1", "synthetic-choice", 2, 4));   // 50
    LeaderboardRow overall = boards.board("overall", 10, false).orElseThrow().rows().get(0);
    assertThat(overall.average()).isEqualTo(50.0);
    assertThat(boards.board("math", 10, false).orElseThrow().rows().get(0).average()).isEqualTo(50.0);
    assertThat(boards.board("commonsense", 10, false).orElseThrow().rows().get(0).average()).isEqualTo(50.0);
    assertThat(boards.board("gsm8k", 10, false).orElseThrow().rows().get(0).average()).isEqualTo(75.0);
    assertThat(overall.averages()).containsEntry("overall", 50.0).containsEntry("math", 50.0)
        .containsEntry("commonsense", 50.0);
    assertThat(overall.extractors()).containsEntry("gsm8k", "numeric").containsEntry("synthetic-choice", "commonsense");
    assertThat(overall.protocolVersion()).isEqualTo("llm-adapters-1");
    assertThat(overall.trainableParams()).isEqualTo(1000L);
    assertThat(boards.boards()).containsExactly("overall", "math", "commonsense", "gsm8k", "synthetic-addsub",
        "synthetic-choice");
  }

  @Test
  void aRepeatedResultChangesNothingAndAResultWaitsForItsCheckpoint() {
    assertThat(boards.result(result("j", "c1", "gsm8k", 1, 2))).isTrue();
    assertThat(boards.result(result("j", "c1", "gsm8k", 1, 2))).isFalse();
    assertThat(boards.board("gsm8k", 10, false).orElseThrow().rows()).isEmpty();
    boards.checkpoint(checkpoint("j", "c1", 3, 24));
    assertThat(boards.board("gsm8k", 10, false).orElseThrow().rows())
        .extracting(LeaderboardRow::step).containsExactly(3L);
  }

  @Test
  void aNewResultOnOneSuiteUpdatesTheRowOnTheCheckpointsOtherBoards() {
    boards.checkpoint(checkpoint("j", "c1", 1, 8));
    boards.result(result("j", "c1", "gsm8k", 1, 2));
    assertThat(boards.board("gsm8k", 10, false).orElseThrow().rows().get(0).scores()).containsOnlyKeys("gsm8k");
    boards.drainChanged();
    boards.result(result("j", "c1", "boolq", 1, 2));
    assertThat(boards.board("gsm8k", 10, false).orElseThrow().rows().get(0).scores()).containsKeys("gsm8k", "boolq");
    assertThat(boards.drainChanged()).containsExactlyInAnyOrder("overall", "math", "gsm8k", "commonsense", "boolq");
  }

  @Test
  void unknownBoardsAreEmptyOptionals() {
    assertThat(boards.board("overall", 10, false)).isPresent();
    assertThat(boards.board("no-such-suite", 10, false)).isEmpty();
  }
}
