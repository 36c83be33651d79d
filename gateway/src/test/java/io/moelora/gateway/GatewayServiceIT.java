package io.moelora.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
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
class GatewayServiceIT {

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
  void malformedRecordsGoToTheDlqAndConsumptionContinues() throws Exception {
    String badKey = "bad-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, badKey, "{\"schemaVersion\":1, oops");

    ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.dlq(Topics.JOBS), badKey);
    assertThat(dead.value()).isEqualTo("{\"schemaVersion\":1, oops");
    assertThat(TestKafkaClients.header(dead, "dead-letter-reason")).startsWith("JobSpec: malformed JSON");
    assertThat(TestKafkaClients.header(dead, "dead-letter-topic")).isEqualTo(Topics.JOBS);

    double valid = counter(Topics.JOBS, "valid");
    String jobId = "job-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId,
        EventCodec.toJson(JobSpec.withDefaults(jobId, "builtin:tiny")));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(counter(Topics.JOBS, "valid")).isEqualTo(valid + 1);
      assertThat(counter(Topics.JOBS, "rejected")).isGreaterThanOrEqualTo(1.0);
    });
    given().get("/api/jobs/" + jobId).then().statusCode(200);
  }

  @Test
  void theOpenApiDocumentAndSwaggerUiAreServed() {
    given().accept("application/json").get("/q/openapi").then()
        .statusCode(200)
        .body("paths", org.hamcrest.Matchers.hasKey("/api/jobs"))
        .body("paths", org.hamcrest.Matchers.hasKey("/api/jobs/{id}/examples"))
        .body("paths", org.hamcrest.Matchers.hasKey("/api/stream"))
        .body("components.securitySchemes.bearer.scheme", is("bearer"))
        .body("components.schemas", org.hamcrest.Matchers.hasKey("JobSpec"));
    given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
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
