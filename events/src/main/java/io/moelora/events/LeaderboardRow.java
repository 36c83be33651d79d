package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One ranked checkpoint of a {@link LeaderboardUpdate}. Scores are accuracies in percent.
 *
 * @param rank         1-based; rows that tie share a rank
 * @param jobId        matches {@code [A-Za-z0-9._-]{1,128}}
 * @param checkpointId matches {@code [A-Za-z0-9._-]{1,128}}
 * @param step         optimizer steps of the checkpoint, >= 0
 * @param examplesSeen training examples of the checkpoint, >= 0
 * @param adapterType  the adapter family
 * @param scores       suite name to accuracy, each in [0, 100]
 * @param average      the board's average, in [0, 100]
 */
public record LeaderboardRow(
    @JsonProperty(required = true) int rank,
    String jobId,
    String checkpointId,
    @JsonProperty(required = true) long step,
    @JsonProperty(required = true) long examplesSeen,
    AdapterType adapterType,
    Map<String, Double> scores,
    @JsonProperty(required = true) double average) {

  public LeaderboardRow {
    FieldChecks.inRange("rank", rank, 1, Integer.MAX_VALUE);
    FieldChecks.id("jobId", jobId);
    FieldChecks.id("checkpointId", checkpointId);
    FieldChecks.atLeast("step", step, 0);
    FieldChecks.atLeast("examplesSeen", examplesSeen, 0);
    FieldChecks.required("adapterType", adapterType);
    scores = FieldChecks.map("scores", scores, 256, (path, accuracy) -> {
      EvalSpec.checkSuiteName("scores key", path.substring("scores.".length()));
      FieldChecks.finiteIn(path, accuracy, 0, 100);
    });
    FieldChecks.finiteIn("average", average, 0, 100);
  }
}
