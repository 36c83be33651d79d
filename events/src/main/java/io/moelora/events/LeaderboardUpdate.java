package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The full current state of one leaderboard, the value on {@link Topics#LEADERBOARD} (key:
 * {@code board}; the topic is compacted, so the latest state of each board is kept).
 *
 * @param schemaVersion {@link EventSchema#CURRENT} when written by this code
 * @param board         board id, e.g. {@code math}, matches {@code [A-Za-z0-9._-]{1,128}}
 * @param rows          ranked rows, ranks non-decreasing, at most {@value #MAX_ROWS}
 * @param updatedAt     when this state was computed (ISO-8601 in JSON)
 */
public record LeaderboardUpdate(
    @JsonProperty(required = true) int schemaVersion,
    String board,
    List<LeaderboardRow> rows,
    Instant updatedAt) {

  public static final int MAX_ROWS = 10_000;

  public LeaderboardUpdate {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("board", board);
    rows = FieldChecks.list("rows", rows, MAX_ROWS);
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i).rank() < rows.get(i - 1).rank()) {
        throw new IllegalArgumentException("rows must be ordered by rank, got rank "
            + rows.get(i).rank() + " at rows[" + i + "] after rank " + rows.get(i - 1).rank());
      }
    }
    FieldChecks.required("updatedAt", updatedAt);
  }
}
