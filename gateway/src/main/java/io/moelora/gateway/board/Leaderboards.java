package io.moelora.gateway.board;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalResult;
import io.moelora.events.LeaderboardRow;
import io.moelora.events.LeaderboardUpdate;
import io.moelora.events.EventSchema;
import io.moelora.events.SuiteGroups;
import io.moelora.gateway.view.JobView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The boards: {@code overall} (mean over every suite a checkpoint has), {@code math} and
 * {@code commonsense} (mean over its suites of that group, see {@link SuiteGroups}) and one per
 * suite. Rows are checkpoints, ranked by {@link BoardRanking}. Results are deduplicated by
 * (checkpointId, suite); a result whose checkpoint has not been read yet waits for it.
 *
 * <p>Written by the feed thread, read by request threads (synchronized). A board is re-ranked
 * lazily, the first time it is read after a change.
 */
public final class Leaderboards {

  private static final List<String> FIXED = List.of(SuiteGroups.OVERALL, SuiteGroups.MATH, SuiteGroups.COMMONSENSE);

  private final Map<String, CheckpointScores> checkpoints = new HashMap<>();
  private final Set<String> suites = new TreeSet<>();
  private final Map<String, List<LeaderboardRow>> ranked = new HashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();

  /** Records a checkpoint (its boards change when it already has results). */
  public synchronized void checkpoint(CheckpointPublished checkpoint) {
    CheckpointScores scores = checkpoints.computeIfAbsent(checkpoint.checkpointId(), id -> new CheckpointScores());
    scores.checkpoint = checkpoint;
    invalidate(scores);
  }

  /** Records a result; false when the same result was already known (nothing changed). */
  public synchronized boolean result(EvalResult result) {
    CheckpointScores scores = checkpoints.computeIfAbsent(result.checkpointId(), id -> new CheckpointScores());
    EvalResult before = scores.results.put(result.suite(), result);
    if (result.equals(before)) {
      return false;
    }
    suites.add(result.suite());
    invalidate(scores);
    return true;
  }

  /** Board ids: the three fixed boards, then one per suite seen, by name. */
  public synchronized List<String> boards() {
    var all = new ArrayList<>(FIXED);
    suites.stream().filter(s -> !FIXED.contains(s)).forEach(all::add);
    return all;
  }

  /** The board, or empty when no such board exists. */
  public synchronized Optional<BoardView> board(String board, int limit, boolean bestPerJob) {
    if (!FIXED.contains(board) && !suites.contains(board)) {
      return Optional.empty();
    }
    List<LeaderboardRow> rows = rows(board);
    if (bestPerJob) {
      rows = BoardRanking.bestPerJob(rows);
    }
    return Optional.of(new BoardView(board, rows.subList(0, Math.min(limit, rows.size())), rows.size(), bestPerJob,
        BoardRanking.RULE));
  }

  /** The board's state as published to the leaderboard topic: its first {@code maxRows} rows. */
  public synchronized LeaderboardUpdate update(String board, int maxRows, Instant now) {
    List<LeaderboardRow> rows = rows(board);
    return new LeaderboardUpdate(EventSchema.CURRENT, board, rows.subList(0, Math.min(maxRows, rows.size())), now);
  }

  /** Boards changed since the last call (in the order they changed), and forgets them. */
  public synchronized List<String> drainChanged() {
    var out = List.copyOf(changed);
    changed.clear();
    return out;
  }

  /** Marks a board as changed again, e.g. when publishing it failed. */
  public synchronized void markChanged(String board) {
    changed.add(board);
  }

  /** The checkpoint's results by suite name; empty for an unknown checkpoint. */
  public synchronized List<EvalResult> results(String checkpointId) {
    CheckpointScores scores = checkpoints.get(checkpointId);
    return scores == null ? List.of() : List.copyOf(scores.results.values());
  }

  /** The checkpoint with its evaluation. */
  public synchronized CheckpointView view(CheckpointPublished checkpoint) {
    CheckpointScores scores = checkpoints.get(checkpoint.checkpointId());
    if (scores == null) {
      return new CheckpointView(checkpoint, Map.of(), Map.of(), List.of());
    }
    return new CheckpointView(checkpoint, scores.scores(), scores.averages(), List.copyOf(scores.results.values()));
  }

  /** The job's best checkpoint on the overall board, or null when none is scored. */
  public synchronized JobView.BestCheckpoint best(String jobId) {
    return rows(SuiteGroups.OVERALL).stream().filter(r -> r.jobId().equals(jobId)).findFirst()
        .map(r -> new JobView.BestCheckpoint(r.checkpointId(), r.step(), r.examplesSeen(), r.average()))
        .orElse(null);
  }

  private List<LeaderboardRow> rows(String board) {
    return ranked.computeIfAbsent(board, b -> {
      var rows = new ArrayList<LeaderboardRow>();
      for (CheckpointScores scores : checkpoints.values()) {
        if (scores.ranksOn(b)) {
          rows.add(scores.row(b));
        }
      }
      return BoardRanking.rank(rows);
    });
  }

  // A result moves the checkpoint on its suite's board, its group's and overall; and since every row
  // carries all the checkpoint's scores and averages, its rows on its other boards change too:
  // re-rank every board the checkpoint appears on (a handful).
  private void invalidate(CheckpointScores scores) {
    if (scores.results.isEmpty()) {
      return;
    }
    var touched = new LinkedHashSet<String>();
    touched.add(SuiteGroups.OVERALL);
    for (String suite : scores.results.keySet()) {
      SuiteGroups.groupOf(suite).ifPresent(touched::add);
      touched.add(suite);
    }
    for (String board : touched) {
      ranked.remove(board);
      changed.add(board);
    }
  }
}
