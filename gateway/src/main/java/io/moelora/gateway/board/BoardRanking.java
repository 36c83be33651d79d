package io.moelora.gateway.board;

import io.moelora.events.LeaderboardRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order and ranks of a board, the same on every replica.
 *
 * <p>Rows are ordered by the board's average, highest first. Averages equal to 1e-6 percentage
 * points share a rank (competition ranking: 1, 2, 2, 4) and are ordered by, in turn: fewer
 * examples seen (the same score from less data first), lower step, job id, then checkpoint id
 * (both in plain string order).
 */
public final class BoardRanking {

  /** The tie-break rule in words, for the API documentation. */
  public static final String RULE = "average descending (equal to 1e-6 points = tied, sharing a rank);"
      + " ties ordered by examplesSeen ascending, step ascending, jobId, checkpointId";

  private static final Comparator<LeaderboardRow> ORDER =
      Comparator.comparingLong((LeaderboardRow r) -> -scoreKey(r.average()))
          .thenComparingLong(LeaderboardRow::examplesSeen)
          .thenComparingLong(LeaderboardRow::step)
          .thenComparing(LeaderboardRow::jobId)
          .thenComparing(LeaderboardRow::checkpointId);

  private BoardRanking() {}

  /** {@code rows} ordered and ranked (their own rank fields are ignored). */
  public static List<LeaderboardRow> rank(List<LeaderboardRow> rows) {
    var sorted = new ArrayList<>(rows);
    sorted.sort(ORDER);
    return withRanks(sorted);
  }

  /** The first (best) row of every job of an already ranked board, ranked among themselves. */
  public static List<LeaderboardRow> bestPerJob(List<LeaderboardRow> ranked) {
    Set<String> seen = new HashSet<>();
    return withRanks(ranked.stream().filter(r -> seen.add(r.jobId())).toList());
  }

  private static List<LeaderboardRow> withRanks(List<LeaderboardRow> ordered) {
    var out = new ArrayList<LeaderboardRow>(ordered.size());
    int rank = 0;
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < ordered.size(); i++) {
      LeaderboardRow r = ordered.get(i);
      long key = scoreKey(r.average());
      if (i == 0 || key != previous) {
        rank = i + 1;
        previous = key;
      }
      out.add(new LeaderboardRow(rank, r.jobId(), r.checkpointId(), r.step(), r.examplesSeen(), r.adapterType(),
          r.scores(), r.average(), r.trainableParams(), r.averages(), r.extractors(), r.protocolVersion()));
    }
    return List.copyOf(out);
  }

  // Float noise below a millionth of a point must not split a tie.
  private static long scoreKey(double average) {
    return Math.round(average * 1e6);
  }
}
