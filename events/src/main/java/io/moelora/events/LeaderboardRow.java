package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One ranked checkpoint of a {@link LeaderboardUpdate}. Scores are accuracies in percent.
 *
 * @param rank            1-based; rows that tie share a rank
 * @param jobId           matches {@code [A-Za-z0-9._-]{1,128}}
 * @param checkpointId    matches {@code [A-Za-z0-9._-]{1,128}}
 * @param step            optimizer steps of the checkpoint, >= 0
 * @param examplesSeen    training examples of the checkpoint, >= 0
 * @param adapterType     the adapter family
 * @param scores          suite name to accuracy, each in [0, 100]
 * @param average         the board's average, in [0, 100]
 * @param trainableParams the adapter's size in trained parameters, >= 0, or null when unknown
 * @param averages        the checkpoint's other averages by board ({@code overall}, {@code math},
 *                        {@code commonsense}; only those it has scores for), each in [0, 100]
 * @param extractors      suite name to the answer extractor that scored it
 * @param protocolVersion the evaluation protocol version of its scores (distinct versions joined
 *                        by {@code ,} when they differ), or null when unknown
 */
public record LeaderboardRow(
    @JsonProperty(required = true) int rank,
    String jobId,
    String checkpointId,
    @JsonProperty(required = true) long step,
    @JsonProperty(required = true) long examplesSeen,
    AdapterType adapterType,
    Map<String, Double> scores,
    @JsonProperty(required = true) double average,
    Long trainableParams,
    Map<String, Double> averages,
    Map<String, String> extractors,
    String protocolVersion) {

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
    if (trainableParams != null) {
      FieldChecks.atLeast("trainableParams", trainableParams, 0);
    }
    averages = FieldChecks.map("averages", averages, 16, (path, mean) -> {
      FieldChecks.id("averages key", path.substring("averages.".length()));
      FieldChecks.finiteIn(path, mean, 0, 100);
    });
    extractors = FieldChecks.map("extractors", extractors, 256, (path, name) -> {
      EvalSpec.checkSuiteName("extractors key", path.substring("extractors.".length()));
      FieldChecks.text(path, name, 64);
    });
    if (protocolVersion != null) {
      FieldChecks.text("protocolVersion", protocolVersion, 256);
    }
  }

  /** A row without the optional details (adapter size, other averages, extractors, protocol). */
  public LeaderboardRow(int rank, String jobId, String checkpointId, long step, long examplesSeen,
      AdapterType adapterType, Map<String, Double> scores, double average) {
    this(rank, jobId, checkpointId, step, examplesSeen, adapterType, scores, average, null, null, null,
        null);
  }
}
