package io.moelora.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecRejectionTest {

  private static final String JOB_HEAD = "{\"schemaVersion\":1,\"jobId\":\"j\",";

  @ParameterizedTest
  @ValueSource(strings = {"{", "not json", "{\"schemaVersion\":1,}", "{} {}", "", "   "})
  void malformedJsonIsOneClearException(String json) {
    assertThatThrownBy(() -> EventCodec.fromJson(json, TrainingExample.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessageStartingWith("TrainingExample: ");
  }

  @Test
  void malformedJsonNamesTheLocation() {
    assertThatThrownBy(() -> EventCodec.fromJson("{\"a\": x}", JobSpec.class))
        .hasMessageContaining("malformed JSON").hasMessageContaining("line 1, column");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "[1,2]", "42", "\"text\""})
  void nonObjectsAreRejected(String json) {
    assertThatThrownBy(() -> EventCodec.fromJson(json, JobSpec.class))
        .isInstanceOf(EventFormatException.class)
        .hasMessageContaining("expected a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"schemaVersion\":1,\"jobId\":\"j\",\"exampleId\":\"e\",\"instruction\":\"i\",\"input\":\"\",\"output\":\"o\"}",
      "{\"schemaVersion\":1,\"jobId\":\"j\",\"exampleId\":\"e\",\"instruction\":1,\"input\":\"\",\"output\":\"o\"}",
      "{\"schemaVersion\":9,\"jobId\":\"j\",\"exampleId\":\"e\",\"instruction\":\"i\",\"input\":\"\",\"output\":\"o\"}",
      "{\"jobId\":\"j\"}", "[1]", "null"})
  void aParsedTreeIsJudgedExactlyAsItsText(String json) throws Exception {
    // The gateway binds the trees it has already parsed; they must pass or fail as the text would.
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    String viaText;
    try {
      viaText = "ok " + EventCodec.fromJson(json, TrainingExample.class);
    } catch (EventFormatException e) {
      viaText = e.getMessage();
    }
    String viaTree;
    try {
      viaTree = "ok " + EventCodec.fromTree(tree, TrainingExample.class);
    } catch (EventFormatException e) {
      viaTree = e.getMessage();
    }
    assertThat(viaTree).isEqualTo(viaText);
  }

  @Test
  void nanTokensAreRejected() {
    assertThatThrownBy(() -> EventCodec.fromJson(
        JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"optimizer\":{\"lr\":NaN}}", JobSpec.class))
        .isInstanceOf(EventFormatException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void nanAsAStringIsRejected() {
    // Jackson reads the string "NaN" as a double even without coercion; validation stops it.
    assertThatThrownBy(() -> EventCodec.fromJson(
        JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"optimizer\":{\"lr\":\"NaN\"}}", JobSpec.class))
        .isInstanceOf(EventFormatException.class)
        .hasMessage("JobSpec: optimizer.lr must be a finite number in (0, 1.0], got NaN");
  }

  @Test
  void numbersInStringsAreRejected() {
    assertThatThrownBy(() -> EventCodec.fromJson(
        JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"optimizer\":{\"lr\":\"0.1\"}}", JobSpec.class))
        .isInstanceOf(EventFormatException.class)
        .hasMessageStartingWith("JobSpec: optimizer.lr: ");
  }

  @Test
  void anExperimentIsReadWhenPresentAndLeftOutWhenAbsent() {
    JobSpec spec = EventCodec.fromJson(JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"experiment\":\"cmp-1\"}",
        JobSpec.class);
    assertThat(spec.experiment()).isEqualTo("cmp-1");
    assertThat(EventCodec.toJson(spec.withExperiment(null))).doesNotContain("experiment");
    assertThatThrownBy(() -> EventCodec.fromJson(
        JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"experiment\":\"a b\"}", JobSpec.class))
        .hasMessage("JobSpec: experiment must match [A-Za-z0-9._-]{1,128}, got 'a b'");
  }

  @Test
  void aSeedIsReadWhenPresentAndLeftOutWhenAbsent() {
    JobSpec spec = EventCodec.fromJson(JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"seed\":3}", JobSpec.class);
    assertThat(spec.seed()).isEqualTo(3L);
    assertThat(spec.withMaxExamples(8).seed()).isEqualTo(3L);
    assertThat(EventCodec.toJson(JobSpec.withDefaults("j", "builtin:tiny"))).doesNotContain("seed");
    assertThatThrownBy(() -> EventCodec.fromJson(JOB_HEAD + "\"baseModel\":\"builtin:tiny\",\"seed\":-1}",
        JobSpec.class)).hasMessage("JobSpec: seed must be >= 0, got -1");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> EventCodec.fromJson(
        JOB_HEAD + "\"jobId\":\"k\",\"baseModel\":\"builtin:tiny\"}", JobSpec.class))
        .isInstanceOf(EventFormatException.class)
        .hasMessageContaining("Duplicate field 'jobId'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"jobId\":\"j\",\"baseModel\":\"builtin:tiny\"}                | JobSpec: schemaVersion is required",
      "{\"schemaVersion\":2,\"jobId\":\"j\",\"baseModel\":\"builtin:tiny\"} | JobSpec: schemaVersion 2 is not supported (supported: [1, 1])",
      "{\"schemaVersion\":\"1\",\"jobId\":\"j\",\"baseModel\":\"builtin:tiny\"} | JobSpec: schemaVersion must be an integer, got \"1\"",
      "{\"schemaVersion\":1,\"baseModel\":\"builtin:tiny\"}              | JobSpec: jobId is required",
      "{\"schemaVersion\":1,\"jobId\":\"a b\",\"baseModel\":\"builtin:tiny\"} | JobSpec: jobId must match [A-Za-z0-9._-]{1,128}, got 'a b'",
      "{\"schemaVersion\":1,\"jobId\":\"j\",\"baseModel\":\"../../etc\"}    | JobSpec: baseModel must not contain '..' path segments, got '../../etc'",
      "{\"schemaVersion\":1,\"jobId\":\"j\",\"baseModel\":\"a/../../b\"}    | JobSpec: baseModel must not contain '..' path segments, got 'a/../../b'",
      "{\"schemaVersion\":1,\"jobId\":\"j\",\"baseModel\":\"/etc/passwd\"}  | JobSpec: baseModel must be builtin:<name> or a relative path inside the model directory (no leading '/', no ':'), got '/etc/passwd'",
      "{\"schemaVersion\":1,\"jobId\":\"j\",\"baseModel\":\"C:\\\\models\"} | JobSpec: baseModel must be builtin:<name> or a relative path inside the model directory (no leading '/', no ':'), got 'C:\\models'",
  })
  void jobSpecRejectionsNameTheField(String json, String message) {
    assertThatThrownBy(() -> EventCodec.fromJson(json, JobSpec.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"adapter\":{\"experts\":4,\"topK\":5}     | JobSpec: adapter.topK must be in [1, experts=4], got 5",
      "\"adapter\":{\"rank\":0}                   | JobSpec: adapter.rank must be in [1, 1024], got 0",
      "\"adapter\":{\"dropout\":1}                | JobSpec: adapter.dropout must be in [0, 1), got 1.0",
      "\"adapter\":{\"targets\":[\"q_proj\",\"lm_head\"]} | JobSpec: adapter.targets[1] must be one of [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj], got 'lm_head'",
      "\"adapter\":{\"type\":\"lora\",\"experts\":2} | JobSpec: adapter.experts and adapter.topK must be 1 for type lora, got experts=2, topK=1",
      "\"optimizer\":{\"lr\":0}                   | JobSpec: optimizer.lr must be a finite number in (0, 1.0], got 0.0",
      "\"optimizer\":{\"lr\":1e400}               | JobSpec: optimizer.lr must be a finite number in (0, 1.0], got Infinity",
      "\"batching\":{\"cutoff\":4}                | JobSpec: batching.cutoff must be in [8, 8192], got 4",
      "\"checkpoint\":{\"everyExamples\":0,\"everySeconds\":0} | JobSpec: checkpoint.everyExamples and checkpoint.everySeconds must not both be 0",
      "\"eval\":{\"limit\":-1}                    | JobSpec: eval.limit must be in [0, 1000000], got -1",
  })
  void nestedRejectionsNameTheFullPath(String part, String message) {
    String json = JOB_HEAD + "\"baseModel\":\"builtin:tiny\"," + part + "}";
    assertThatThrownBy(() -> EventCodec.fromJson(json, JobSpec.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"adapter\":{\"rank\":\"8\"}      | JobSpec: adapter.rank: ",
      "\"adapter\":{\"rank\":8.5}        | JobSpec: adapter.rank: ",
      "\"adapter\":{\"rank\":99999999999} | JobSpec: adapter.rank: ",
      "\"adapter\":{\"type\":\"gpt\"}    | JobSpec: adapter.type: ",
      "\"adapter\":{\"type\":1}          | JobSpec: adapter.type: ",
      "\"adapter\":[]                    | JobSpec: adapter: ",
      "\"eval\":{\"decoding\":\"beam5\"} | JobSpec: eval.decoding: ",
  })
  void wrongTypesNameTheField(String part, String prefix) {
    String json = JOB_HEAD + "\"baseModel\":\"builtin:tiny\"," + part + "}";
    assertThatThrownBy(() -> EventCodec.fromJson(json, JobSpec.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessageStartingWith(prefix);
  }

  @Test
  void numbersAreNotReadAsStrings() {
    assertThatThrownBy(() -> EventCodec.fromJson(
        "{\"schemaVersion\":1,\"jobId\":7,\"baseModel\":\"builtin:tiny\"}", JobSpec.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessageStartingWith("JobSpec: jobId: ");
  }

  @Test
  void missingRequiredPrimitivesAreNamed() {
    String json = EventCodec.toJson(SampleEvents.checkpoint()).replace("\"step\":100,", "");
    assertThatThrownBy(() -> EventCodec.fromJson(json, CheckpointPublished.class))
        .hasMessage("CheckpointPublished: step is required");
  }

  @Test
  void nullForAPrimitiveIsRejected() {
    String json = EventCodec.toJson(SampleEvents.checkpoint()).replace("\"step\":100", "\"step\":null");
    assertThatThrownBy(() -> EventCodec.fromJson(json, CheckpointPublished.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessageStartingWith("CheckpointPublished: step: ");
  }

  @Test
  void invalidRowsInAListNameTheirIndex() {
    String json = EventCodec.toJson(SampleEvents.leaderboard()).replace("\"rank\":2", "\"rank\":0");
    assertThatThrownBy(() -> EventCodec.fromJson(json, LeaderboardUpdate.class))
        .hasMessage("LeaderboardUpdate: rows[1].rank must be in [1, 2147483647], got 0");
  }

  @Test
  void missingFieldsOfRowsNameTheirIndex() {
    String json = EventCodec.toJson(SampleEvents.leaderboard()).replace("\"rank\":2,", "");
    assertThatThrownBy(() -> EventCodec.fromJson(json, LeaderboardUpdate.class))
        .hasMessage("LeaderboardUpdate: rows[1].rank is required");
  }

  @Test
  void badInstantsAreRejected() {
    String json = EventCodec.toJson(SampleEvents.metrics())
        .replace("2024-05-01T12:00:00.123Z", "yesterday");
    assertThatThrownBy(() -> EventCodec.fromJson(json, TrainingMetrics.class))
        .isExactlyInstanceOf(EventFormatException.class)
        .hasMessageStartingWith("TrainingMetrics: timestamp: ")
        .hasMessageContaining("ISO-8601");
  }
}
