package io.moelora.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation seen from Java callers: the same messages the codec puts on the DLQ. */
class RecordValidationTest {

  @Test
  void topKBeyondExpertsNamesBothBounds() {
    assertThatThrownBy(() -> new AdapterSpec(AdapterType.MOELORA, 4, 8, 4, 5, List.of("q_proj"),
        0, 0, 0.1, 8, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("adapter.topK must be in [1, experts=4], got 5");
  }

  @Test
  void loraRefusesAuxiliaryLosses() {
    assertThatThrownBy(() -> new AdapterSpec(AdapterType.LORA, 8, 16, 1, 1, List.of("q_proj"),
        0, 0.1, 0.1, 8, 0))
        .hasMessageStartingWith("adapter.contrastiveWeight and adapter.balanceWeight must be 0");
  }

  @Test
  void duplicateTargetsAreRejected() {
    assertThatThrownBy(() -> new AdapterSpec(AdapterType.MOELORA, 4, 8, 4, 2,
        List.of("q_proj", "q_proj"), 0, 0, 0.1, 8, 0))
        .hasMessage("adapter.targets must not repeat entries, got 'q_proj' twice");
  }

  @Test
  void dotAndDotDotAreNoIds() {
    // Checkpoints live under <store>/<jobId>/: these would name the store itself or its parent.
    for (String id : List.of(".", "..")) {
      assertThatThrownBy(() -> new TrainingExample(id, "e-1", "i", "", "o", null))
          .hasMessage("jobId must not be '.' or '..', got '" + id + "'");
    }
    assertThat(new TrainingExample("a..b", "...x", "i", "", "o", null).jobId()).isEqualTo("a..b");
  }

  @Test
  void textDecodedFromBytesThatWereNotUtf8IsRefused() {
    assertThatThrownBy(() -> new TrainingExample("job", "e-1", "i", "bad \uFFFD here", "o", null))
        .hasMessageStartingWith("input must be valid UTF-8: it contains U+FFFD at index 4");
  }

  @Test
  void nanLearningRateIsRejected() {
    assertThatThrownBy(() -> new OptimizerSpec(Double.NaN, 0, 0))
        .hasMessage("optimizer.lr must be a finite number in (0, 1.0], got NaN");
  }

  @Test
  void builtinModelsNeedANameAndPathsStayRelative() {
    assertThat(JobSpec.withDefaults("j", "builtin:tiny").usesBuiltinModel()).isTrue();
    assertThat(JobSpec.withDefaults("j", "./models/llama").usesBuiltinModel()).isFalse();
    assertThatThrownBy(() -> JobSpec.withDefaults("j", "builtin:"))
        .hasMessageStartingWith("baseModel must match builtin:");
    assertThatThrownBy(() -> JobSpec.withDefaults("j", "models\\..\\..\\x"))
        .hasMessageStartingWith("baseModel must not contain '..'");
    assertThatThrownBy(() -> JobSpec.withDefaults("j", "file:/etc"))
        .hasMessageStartingWith("baseModel must be builtin:<name> or a relative path");
  }

  @Test
  void trainingExamplesNeedInstructionAndOutput() {
    assertThatThrownBy(() -> new TrainingExample("j", "e", " ", "", "o", null))
        .hasMessageStartingWith("instruction must be non-blank");
    assertThatThrownBy(() -> new TrainingExample("j", "e", "i", "", null, null))
        .hasMessage("output is required");
    assertThat(new TrainingExample("j", "e", "i", null, "o", null).input()).isEmpty();
  }

  @Test
  void checkpointsNeedAHexShaAndAnAbsoluteUri() {
    var ok = SampleEvents.checkpoint();
    assertThatThrownBy(() -> new CheckpointPublished(1, "j", "c", 0, 0, ok.uri(),
        ok.sha256().toUpperCase(), AdapterType.LORA, 0, Map.of(), SampleEvents.T0))
        .hasMessageStartingWith("sha256 must be 64 lower-case hex characters");
    assertThatThrownBy(() -> new CheckpointPublished(1, "j", "c", 0, 0, "relative/path",
        ok.sha256(), AdapterType.LORA, 0, Map.of(), SampleEvents.T0))
        .hasMessageStartingWith("uri must be an absolute URI");
    assertThatThrownBy(() -> new CheckpointPublished(1, "j", "c", 0, 0, ok.uri(), ok.sha256(),
        AdapterType.LORA, 0, Map.of("loss", Double.POSITIVE_INFINITY), SampleEvents.T0))
        .hasMessage("metrics.loss must be a finite number, got Infinity");
  }

  @Test
  void evalAccuracyMustMatchCorrectOverN() {
    assertThatThrownBy(() -> new EvalResult(1, "j", "c", "gsm8k", "1", 4, 5, 125, "numeric",
        Decoding.GREEDY, "1", 0))
        .hasMessage("correct must be in [0, 4], got 5");
    assertThatThrownBy(() -> new EvalResult(1, "j", "c", "gsm8k", "1", 4, 1, 26, "numeric",
        Decoding.GREEDY, "1", 0))
        .hasMessage("accuracy must equal correct / n * 100 = 25.0 (within 1e-9), got 26.0");
  }

  @Test
  void routingMapsUseLayerDotModuleKeys() {
    assertThatThrownBy(() -> new TrainingMetrics(1, "j", 0, 1, 1, 0, 0, 0, 0,
        Map.of("q_proj", List.of(1.0)), Map.of(), SampleEvents.T0))
        .hasMessageStartingWith("expertLoad keys must match <layer>.<module>");
    assertThatThrownBy(() -> new TrainingMetrics(1, "j", 0, 1, 1, 0, 0, 0, 0,
        Map.of("0.q_proj", List.of(1.5)), Map.of(), SampleEvents.T0))
        .hasMessage("expertLoad.0.q_proj[0] must be a finite number in [0.0, 1.0], got 1.5");
  }

  @Test
  void leaderboardRowsMustBeOrderedByRank() {
    var rows = SampleEvents.leaderboard().rows();
    assertThatThrownBy(() -> new LeaderboardUpdate(1, "math", List.of(rows.get(1), rows.get(0)),
        SampleEvents.T0))
        .hasMessage("rows must be ordered by rank, got rank 1 at rows[1] after rank 2");
  }

  @Test
  void unsupportedSchemaVersionsAreRejectedInJavaToo() {
    assertThatThrownBy(() -> new TrainingExample(0, "j", "e", "i", "", "o", null))
        .hasMessage("schemaVersion 0 is not supported (supported: [1, 1])");
  }

  @Test
  void jobKeyedEventsCheckTheirRecordKey() {
    var example = SampleEvents.example();
    example.requireKey("job-1");
    assertThatThrownBy(() -> example.requireKey("job-2"))
        .isInstanceOf(EventFormatException.class)
        .hasMessage("TrainingExample: record key 'job-2' must equal jobId 'job-1'");
    assertThatThrownBy(() -> example.requireKey(null))
        .hasMessage("TrainingExample: record key is missing, it must equal jobId 'job-1'");
  }

  @Test
  void jobBudgetsAndLifecycleEventsAreChecked() {
    assertThatThrownBy(() -> SampleEvents.job().withMaxExamples(-1))
        .hasMessage("maxExamples must be >= 0, got -1");
    assertThatThrownBy(() -> JobEvent.of("job-1", JobState.PAUSED, " ", 0, 0, null, "trainer"))
        .hasMessageContaining("reason must be non-blank");
    assertThat(JobEvent.of("job-1", JobState.FAILED, "x".repeat(5000), 0, 0, null, "trainer").reason())
        .hasSize(2000).endsWith("...");
    assertThatThrownBy(() -> new EvalProgress(1, "j", "c", null, EvalProgress.Kind.PROGRESS, 5, 4, "m",
        SampleEvents.T0)).hasMessage("total must be in [5, 2147483647], got 4");
  }

  @Test
  void experimentIsAnOptionalId() {
    assertThat(JobSpec.withDefaults("j", "builtin:tiny").experiment()).isNull();
    assertThat(SampleEvents.job().withExperiment("cmp.2").experiment()).isEqualTo("cmp.2");
    assertThat(SampleEvents.job().withExperiment(null).experiment()).isNull();
    assertThatThrownBy(() -> SampleEvents.job().withExperiment("a/b"))
        .hasMessage("experiment must match [A-Za-z0-9._-]{1,128}, got 'a/b'");
    assertThat(SampleEvents.job().withPaused(true).withMaxExamples(9).withCheckpoint(CheckpointPolicy.DEFAULTS)
        .experiment()).isEqualTo("exp-1");
  }
}
