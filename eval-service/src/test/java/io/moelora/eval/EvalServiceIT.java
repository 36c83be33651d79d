package io.moelora.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.eval.health.EvaluatorReadiness;
import io.moelora.eval.testing.TestCheckpoints;
import io.moelora.eval.testing.TestTopics;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.EvalSpec;
import io.moelora.events.EventSchema;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The service as operators and producers see it: health, metrics, and the checkpoints DLQ. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class EvalServiceIT {

  private static final String SHA = "ab".repeat(32);
  private static final String DLQ = Topics.dlq(Topics.CHECKPOINTS);

  // As a producer outside the JVM would write it; JOB is replaced by a fresh job id.
  private static final String VALID = "{\"schemaVersion\":1,\"jobId\":\"JOB\","
      + "\"checkpointId\":\"" + SHA + "\",\"step\":10,\"examplesSeen\":160,"
      + "\"uri\":\"file:///checkpoints/JOB/" + SHA + "\",\"sha256\":\"" + SHA + "\","
      + "\"adapterType\":\"moelora\",\"trainableParams\":1000,\"metrics\":{\"loss\":1.5},"
      + "\"createdAt\":\"2024-05-01T12:00:00Z\"}";

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @ConfigProperty(name = "moelora.checkpoint-dir")
  Path storeRoot;

  @Test
  void readinessIsUpIncludingKafkaAndTheEvaluator() {
    await().atMost(TestTopics.WAIT).untilAsserted(() -> given().get("/q/health/ready").then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.find { it.name == 'Kafka connection health check' }.status", is("UP"))
        .body("checks.find { it.name == '" + EvaluatorReadiness.NAME + "' }.status", is("UP")));
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void metricsArePrometheusText() {
    // What a Prometheus server asks for; without an Accept header Quarkus answers OpenMetrics.
    given().accept("text/plain").get("/q/metrics").then()
        .statusCode(200)
        .contentType(containsString("text/plain"))
        .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
        .body(containsString("moelora_eval_pending_checkpoints "));
  }

  @Test
  void badCheckpointRecordsGoToTheDlqAndConsumptionContinues() throws Exception {
    TestTopics topics = new TestTopics(bootstrap);
    String jobId = "job-" + UUID.randomUUID();
    double rejectedBefore = counter("moelora_records_total", "topic=\"" + Topics.CHECKPOINTS + "\"",
        "outcome=\"rejected\"");
    double deadBefore = counter("moelora_eval_checkpoints_total", "outcome=\"dead-lettered\"");

    String badHash = VALID.replace("\"sha256\":\"" + SHA + "\"", "\"sha256\":\"abc\"").replace("JOB", jobId);
    String malformed = "{\"schemaVersion\":1,\"jobId\":\"" + jobId + "\",";
    TestKafkaClients.send(bootstrap, Topics.CHECKPOINTS, jobId, badHash);
    TestKafkaClients.send(bootstrap, Topics.CHECKPOINTS, jobId, malformed);
    // Valid, but no spec of this job was ever published.
    TestKafkaClients.send(bootstrap, Topics.CHECKPOINTS, jobId, VALID.replace("JOB", jobId));

    List<ConsumerRecord<String, String>> dead = topics.awaitRecords(DLQ, jobId, r -> r.size() == 3);
    assertThat(dead).extracting(ConsumerRecord::value)
        .containsExactly(badHash, malformed, VALID.replace("JOB", jobId));
    assertThat(TestKafkaClients.header(dead.get(0), "dead-letter-reason"))
        .isEqualTo("CheckpointPublished: sha256 must be 64 lower-case hex characters, got 'abc'");
    assertThat(TestKafkaClients.header(dead.get(1), "dead-letter-reason"))
        .startsWith("CheckpointPublished: malformed JSON");
    assertThat(TestKafkaClients.header(dead.get(2), "dead-letter-reason"))
        .isEqualTo("unknown job '" + jobId + "': no valid spec on " + Topics.JOBS);
    assertThat(dead).allSatisfy(r -> {
      assertThat(TestKafkaClients.header(r, "dead-letter-topic")).isEqualTo(Topics.CHECKPOINTS);
      assertThat(TestKafkaClients.header(r, "dead-letter-offset")).isNotBlank();
    });

    // The consumer and the evaluator carry on with the next good checkpoint.
    topics.send(Topics.JOBS, jobId, new JobSpec(EventSchema.CURRENT, jobId, TestCheckpoints.BASE, null, null, null,
        null, new EvalSpec(List.of("synthetic-choice"), 4, Decoding.GREEDY), null));
    StoredCheckpoint stored;
    try (TestCheckpoints checkpoints = new TestCheckpoints(storeRoot)) {
      stored = checkpoints.write(jobId, 11);
    }
    topics.send(Topics.CHECKPOINTS, jobId, TestCheckpoints.event(stored, 20));
    List<EvalResult> results = TestTopics.parse(topics.awaitRecords(Topics.EVAL_RESULTS, jobId, r -> !r.isEmpty()),
        EvalResult.class);
    assertThat(results).extracting(EvalResult::checkpointId, EvalResult::suite, EvalResult::n)
        .containsExactly(tuple(stored.checkpointId(), "synthetic-choice", 4));

    await().atMost(TestTopics.WAIT).untilAsserted(() -> {
      assertThat(counter("moelora_records_total", "topic=\"" + Topics.CHECKPOINTS + "\"", "outcome=\"rejected\""))
          .isEqualTo(rejectedBefore + 2);
      assertThat(counter("moelora_eval_checkpoints_total", "outcome=\"dead-lettered\"")).isEqualTo(deadBefore + 3);
    });
  }

  /** The value of a Prometheus sample with all of {@code labels} ({@code name="value"}), 0 while absent. */
  private static double counter(String name, String... labels) {
    // Prometheus text: moelora_records_total{outcome="valid",topic="moelora.jobs",} 1.0
    return given().accept("text/plain").get("/q/metrics").asString().lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElse(0.0);
  }
}
