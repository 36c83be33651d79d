package io.moelora.gateway.board;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.AdapterType;
import io.moelora.events.LeaderboardRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoardRankingTest {

  private static LeaderboardRow row(String job, String checkpoint, long step, long examples, double average) {
    return new LeaderboardRow(1, job, checkpoint, step, examples, AdapterType.MOELORA, Map.of(), average);
  }

  @Test
  void higherAverageRanksFirst() {
    var ranked = BoardRanking.rank(List.of(row("a", "a1", 1, 10, 40), row("b", "b1", 1, 10, 60)));
    assertThat(ranked).extracting(LeaderboardRow::checkpointId).containsExactly("b1", "a1");
    assertThat(ranked).extracting(LeaderboardRow::rank).containsExactly(1, 2);
  }

  @Test
  void tiesShareARankAndAreOrderedByExamplesStepJobAndCheckpoint() {
    var ranked = BoardRanking.rank(List.of(
        row("z", "z9", 5, 100, 50),
        row("a", "a2", 7, 100, 50),
        row("a", "a1", 7, 100, 50),
        row("m", "m1", 9, 40, 50),
        row("b", "b1", 3, 100, 50),
        row("q", "q1", 1, 1, 20)));
    assertThat(ranked).extracting(LeaderboardRow::checkpointId)
        .containsExactly("m1", "b1", "z9", "a1", "a2", "q1");
    assertThat(ranked).extracting(LeaderboardRow::rank).containsExactly(1, 1, 1, 1, 1, 6);
  }

  @Test
  void floatNoiseDoesNotBreakATie() {
    double third = 100.0 / 3;
    double sum = (third + third + third) / 3; // not bit-identical to 100/3 in general
    var ranked = BoardRanking.rank(List.of(row("b", "b1", 1, 10, sum), row("a", "a1", 1, 10, third)));
    assertThat(ranked).extracting(LeaderboardRow::rank).containsExactly(1, 1);
    assertThat(ranked).extracting(LeaderboardRow::jobId).containsExactly("a", "b");
  }

  @Test
  void theOrderDoesNotDependOnTheInputOrder() {
    var rows = List.of(row("a", "a1", 1, 10, 30), row("b", "b1", 2, 10, 30), row("c", "c1", 1, 5, 70),
        row("d", "d1", 4, 10, 30));
    var reversed = new java.util.ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    assertThat(BoardRanking.rank(reversed)).isEqualTo(BoardRanking.rank(rows));
  }

  @Test
  void bestPerJobKeepsEachJobsTopRowAndRanksThemAgain() {
    var ranked = BoardRanking.rank(List.of(row("a", "a1", 1, 10, 90), row("a", "a2", 2, 20, 80),
        row("b", "b1", 1, 10, 85), row("b", "b2", 2, 20, 70)));
    var best = BoardRanking.bestPerJob(ranked);
    assertThat(best).extracting(LeaderboardRow::checkpointId).containsExactly("a1", "b1");
    assertThat(best).extracting(LeaderboardRow::rank).containsExactly(1, 2);
  }
}
