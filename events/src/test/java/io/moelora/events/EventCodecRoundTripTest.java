package io.moelora.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecRoundTripTest {

  static Stream<Record> events() {
    return Stream.of(SampleEvents.job(), JobSpec.withDefaults("j", "builtin:tiny"),
        SampleEvents.example(), new TrainingExample("j", "e", "i", null, "o", null),
        SampleEvents.checkpoint(), SampleEvents.metrics(), SampleEvents.evalResult(),
        SampleEvents.leaderboard(), new LeaderboardUpdate(1, "empty", List.of(), SampleEvents.T0),
        SampleEvents.jobEvent(), SampleEvents.evalProgress());
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesARoundTrip(Record event) {
    String json = EventCodec.toJson(event);

    assertThat(EventCodec.fromJson(json, event.getClass())).isEqualTo(event);
  }

  @Test
  void jsonUsesCamelCaseNamesLowerCaseEnumsAndIsoInstants() {
    String json = EventCodec.toJson(SampleEvents.checkpoint());

    assertThat(json).contains("\"schemaVersion\":1", "\"examplesSeen\":1600",
        "\"adapterType\":\"moelora\"", "\"createdAt\":\"2024-05-01T12:00:00.123Z\"");
    assertThat(EventCodec.toJson(SampleEvents.evalResult())).contains("\"decoding\":\"beam4\"");
  }

  @Test
  void absentNestedObjectsAndFieldsTakeTheirDefaults() {
    JobSpec spec = EventCodec.fromJson("""
        {"schemaVersion":1,"jobId":"j1","baseModel":"builtin:tiny",
         "adapter":{"rank":16},"batching":{"cutoff":128}}""", JobSpec.class);

    assertThat(spec.adapter()).isEqualTo(new AdapterSpec(AdapterType.MOELORA, 16, 64, 8, 2,
        List.of("q_proj", "v_proj"), 0.05, 0.1, 0.1, 64, 0.01));
    assertThat(spec.batching()).isEqualTo(new BatchingSpec(4, 4, 128));
    assertThat(spec.optimizer()).isEqualTo(OptimizerSpec.DEFAULTS);
    assertThat(spec.checkpoint()).isEqualTo(CheckpointPolicy.DEFAULTS);
    assertThat(spec.eval()).isEqualTo(EvalSpec.DEFAULTS);
    assertThat(spec.maxExamples()).isZero();
    assertThat(spec.continuous()).isTrue();
    assertThat(spec.paused()).isFalse();
    JobSpec paused = SampleEvents.job().withPaused(true);
    assertThat(EventCodec.fromJson(EventCodec.toJson(paused), JobSpec.class)).isEqualTo(paused);
  }

  @Test
  void loraDefaultsApplyWhenOnlyTheTypeIsGiven() {
    JobSpec spec = EventCodec.fromJson("""
        {"schemaVersion":1,"jobId":"j1","baseModel":"models/x","adapter":{"type":"lora"}}""",
        JobSpec.class);

    assertThat(spec.adapter()).isEqualTo(AdapterSpec.LORA_DEFAULTS);
    assertThat(spec.usesBuiltinModel()).isFalse();
  }

  @Test
  void unknownPropertiesAreIgnoredForForwardCompatibility() {
    TrainingExample example = EventCodec.fromJson("""
        {"schemaVersion":1,"jobId":"j","exampleId":"e","instruction":"i","output":"o",
         "addedLater":{"x":[1,2]}}""", TrainingExample.class);

    assertThat(example.input()).isEmpty();
    assertThat(example.task()).isNull();
  }

  @Test
  void integersAreAcceptedForDoubles() {
    JobSpec spec = EventCodec.fromJson("""
        {"schemaVersion":1,"jobId":"j","baseModel":"builtin:tiny","optimizer":{"lr":1}}""",
        JobSpec.class);

    assertThat(spec.optimizer().lr()).isEqualTo(1.0);
  }
}
