package io.moelora.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class EvalServiceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SHA = "ab".repeat(32);

  // As a producer outside the JVM would write it; JOB is replaced by a fresh job id.
  private static final String VALID = "{\"schemaVersion\":1,\"jobId\":\"JOB\","
      + "\"checkpointId\":\"JOB.s10\",\"step\":10,\"examplesSeen\":160,"
      + "\"uri\":\"file:///checkpoints/JOB/s10\",\"sha256\":\"" + SHA + "\","
      + "\"adapterType\":\"moelora\",\"trainableParams\":1000,\"metrics\":{\"loss\":1.5},"
      + "\"createdAt\":\"2024-05-01T12:00:00Z\"}";

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @Test
  void readinessIsUpIncludingKafka() {
    await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.find { it.name == 'Kafka connection health check' }.status", is("UP")));
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void metricsArePrometheusText() {
    // What a Prometheus server asks for; without an Accept header Quarkus answers OpenMetrics.
    given().accept("text/plain").get("/q/metrics").then()
        .statusCode(200)
        .contentType(containsString("text/plain"))
        .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
  }

  @Test
  void invalidCheckpointsGoToTheDlqAndConsumptionContinues() throws Exception {
    String jobId = "job-" + UUID.randomUUID();
    String badHash = VALID.replace("\"sha256\":\"" + SHA + "\"", "\"sha256\":\"abc\"")
        .replace("JOB", jobId);
    TestKafkaClients.send(bootstrap, Topics.CHECKPOINTS, jobId, badHash);

    ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.dlq(Topics.CHECKPOINTS), jobId);
    assertThat(dead.value()).isEqualTo(badHash);
    assertThat(TestKafkaClients.header(dead, "dead-letter-reason"))
        .isEqualTo("CheckpointPublished: sha256 must be 64 lower-case hex characters, got 'abc'");

    TestKafkaClients.send(bootstrap, Topics.CHECKPOINTS, jobId, VALID.replace("JOB", jobId));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(counter(Topics.CHECKPOINTS, "valid")).isEqualTo(1.0);
      assertThat(counter(Topics.CHECKPOINTS, "rejected")).isEqualTo(1.0);
    });
  }

  private ConsumerRecord<String, String> awaitDeadLetter(String dlqTopic, String key) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (var dlq = TestKafkaClients.readFromBeginning(bootstrap, dlqTopic)) {
      await().atMost(WAIT).until(() -> {
        dlq.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().anyMatch(r -> key.equals(r.key()));
      });
    }
    return seen.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
  }

  /** The value of {@code moelora_records_total{outcome, topic}}, 0 while absent. */
  private static double counter(String topic, String outcome) {
    // Prometheus text: moelora_records_total{outcome="valid",topic="moelora.jobs",} 1.0
    return given().accept("text/plain").get("/q/metrics").asString().lines()
        .filter(line -> line.startsWith("moelora_records_total{"))
        .filter(line -> line.contains("outcome=\"" + outcome + "\"")
            && line.contains("topic=\"" + topic + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElse(0.0);
  }
}
