package io.moelora.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One valid instance of every event, with every optional part filled in. */
final class SampleEvents {

  static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123Z");
  static final String SHA = "0123456789abcdef".repeat(4);

  private SampleEvents() {}

  static JobSpec job() {
    return new JobSpec(1, "job-1", "llama/tiny-7m",
        new AdapterSpec(AdapterType.MOELORA, 4, 32, 4, 2, List.of("q_proj", "v_proj", "down_proj"),
            0.1, 0.2, 0.07, 32, 0.02),
        new OptimizerSpec(1e-4, 10, 0.01),
        new BatchingSpec(2, 8, 512),
        new CheckpointPolicy(500, 0),
        new EvalSpec(List.of("gsm8k", "ARC-Easy"), 100, Decoding.GREEDY), 5000L, false, "exp-1");
  }

  static JobEvent jobEvent() {
    return new JobEvent(1, "job-1", JobState.PAUSED, "loss diverged", 12, 192, "job-1.s100", "trainer", T0);
  }

  static EvalProgress evalProgress() {
    return new EvalProgress(1, "job-1", "job-1.s100", "gsm8k", EvalProgress.Kind.PROGRESS, 10, 50,
        "10/50 items", T0);
  }

  static TrainingExample example() {
    return new TrainingExample("job-1", "ex-42", "Add 2 and 3.", "", "5", "math");
  }

  static CheckpointPublished checkpoint() {
    var metrics = new LinkedHashMap<String, Double>();
    metrics.put("loss", 1.25);
    metrics.put("lmLoss", 1.2);
    return new CheckpointPublished(1, "job-1", "job-1.s100", 100, 1600,
        "file:///checkpoints/job-1/job-1.s100", SHA, AdapterType.MOELORA, 123_456, metrics, T0);
  }

  static TrainingMetrics metrics() {
    return new TrainingMetrics(1, "job-1", 7, 2.5, 2.4, 0.9, 1.01, 2e-4, 1234.5,
        Map.of("0.q_proj", List.of(0.5, 0.25, 0.25, 0.0)), Map.of("0.q_proj", 1.04), T0);
  }

  static EvalResult evalResult() {
    return new EvalResult(1, "job-1", "job-1.s100", "gsm8k", "1", 3, 1, 100.0 / 3, "numeric-last",
        Decoding.BEAM4, "llm-adapters-1", 4200);
  }

  static LeaderboardUpdate leaderboard() {
    var row1 = new LeaderboardRow(1, "job-1", "job-1.s100", 100, 1600, AdapterType.MOELORA,
        Map.of("gsm8k", 40.0), 40.0, 73_728L, Map.of("overall", 40.0, "math", 40.0),
        Map.of("gsm8k", "numeric"), "llm-adapters-1");
    var row2 = new LeaderboardRow(2, "job-2", "job-2.s50", 50, 800, AdapterType.LORA,
        Map.of("gsm8k", 35.5), 35.5);
    return new LeaderboardUpdate(1, "math", List.of(row1, row2), T0);
  }
}
