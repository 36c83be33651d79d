package io.moelora.gateway.board;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalResult;
import io.moelora.events.LeaderboardRow;
import io.moelora.events.SuiteGroups;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One checkpoint and its results, one per suite (a later result for the same suite replaces the
 * earlier: both come from the same partition, so every replica keeps the same one). Averages are
 * plain means of suite accuracies, summed in suite-name order so that every replica computes the
 * same bits.
 */
final class CheckpointScores {

  CheckpointPublished checkpoint;
  final TreeMap<String, EvalResult> results = new TreeMap<>();

  /** True when the checkpoint itself has been read and it has a score for {@code board}. */
  boolean ranksOn(String board) {
    return checkpoint != null && average(board).isPresent();
  }

  /** The checkpoint's average for a board: overall, a group's, or one suite's accuracy. */
  OptionalDouble average(String board) {
    return switch (board) {
      case SuiteGroups.OVERALL -> mean(r -> true);
      case SuiteGroups.MATH, SuiteGroups.COMMONSENSE ->
          mean(r -> SuiteGroups.groupOf(r.suite()).filter(board::equals).isPresent());
      default -> results.containsKey(board) ? OptionalDouble.of(results.get(board).accuracy()) : OptionalDouble.empty();
    };
  }

  /** overall, math and commonsense, for those the checkpoint has scores for. */
  Map<String, Double> averages() {
    var out = new LinkedHashMap<String, Double>();
    for (String board : List.of(SuiteGroups.OVERALL, SuiteGroups.MATH, SuiteGroups.COMMONSENSE)) {
      average(board).ifPresent(a -> out.put(board, a));
    }
    return out;
  }

  Map<String, Double> scores() {
    var out = new LinkedHashMap<String, Double>();
    results.forEach((suite, r) -> out.put(suite, r.accuracy()));
    return out;
  }

  /** The checkpoint's row on {@code board}, before ranking (rank 1 as a placeholder). */
  LeaderboardRow row(String board) {
    var extractors = new LinkedHashMap<String, String>();
    results.forEach((suite, r) -> extractors.put(suite, r.extractor()));
    var protocols = new TreeSet<String>();
    results.values().forEach(r -> protocols.add(r.protocolVersion()));
    return new LeaderboardRow(1, checkpoint.jobId(), checkpoint.checkpointId(), checkpoint.step(),
        checkpoint.examplesSeen(), checkpoint.adapterType(), scores(), average(board).orElseThrow(),
        checkpoint.trainableParams(), averages(), extractors,
        protocols.isEmpty() ? null : String.join(",", protocols));
  }

  private OptionalDouble mean(Predicate<EvalResult> include) {
    double sum = 0;
    int n = 0;
    for (EvalResult r : results.values()) {
      if (include.test(r)) {
        sum += r.accuracy();
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
  }
}
