package io.moelora.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.TrainingExample;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.trainer.support.Jobs;
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
class TrainerServiceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

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
  void malformedExamplesGoToTheDlqAndConsumptionContinues() throws Exception {
    double valid = counter(Topics.TRAINING_EXAMPLES, "valid");
    double rejected = counter(Topics.TRAINING_EXAMPLES, "rejected");
    String badKey = "bad-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.TRAINING_EXAMPLES, badKey, "not json at all");

    ConsumerRecord<String, String> dead =
        awaitDeadLetter(Topics.dlq(Topics.TRAINING_EXAMPLES), badKey);
    assertThat(dead.value()).isEqualTo("not json at all");
    assertThat(TestKafkaClients.header(dead, "dead-letter-reason"))
        .startsWith("TrainingExample: malformed JSON");

    String jobId = "job-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(Jobs.small(jobId, 4, 1)));
    TestKafkaClients.send(bootstrap, Topics.TRAINING_EXAMPLES, jobId, EventCodec.toJson(
        new TrainingExample(jobId, "ex-1", "Add 2 and 3.", "", "5", "math")));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(counter(Topics.TRAINING_EXAMPLES, "valid")).isEqualTo(valid + 1);
      assertThat(counter(Topics.TRAINING_EXAMPLES, "rejected")).isEqualTo(rejected + 1);
    });
  }

  @Test
  void jobsKeyedByAnotherJobAreRejected() throws Exception {
    String wrongKey = "other-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, wrongKey,
        EventCodec.toJson(JobSpec.withDefaults("job-x", "builtin:tiny")));

    ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.dlq(Topics.JOBS), wrongKey);
    assertThat(TestKafkaClients.header(dead, "dead-letter-reason"))
        .isEqualTo("JobSpec: record key '" + wrongKey + "' must equal jobId 'job-x'");
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
