package io.moelora.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.moelora.events.EventCodec;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.Feed;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Examples in over REST, out on moelora.training-examples; the test profile caps bodies at 64 KiB. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class ExampleIngestIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @TestHTTPResource("/")
  URL root;

  @Test
  void aJsonArrayIsStreamedIntoTheTopicKeyedByTheJob() {
    String jobId = Api.createJob("ingest");
    String body = """
        [
          {"instruction": "Add 2 and 3.", "input": "", "output": "5", "exampleId": "e-1"},
          {"instruction": "Add 4 and 4.", "output": "8", "task": "synthetic-addsub"},
          {"instruction": "Say yes.", "input": "ok", "output": "yes"}
        ]""";
    Api.authorised().contentType(ContentType.JSON).body(body).post("/api/jobs/" + jobId + "/examples?idPrefix=up1")
        .then().statusCode(200)
        .body("jobId", is(jobId))
        .body("accepted", is(3))
        .body("rejected", is(0));

    List<TrainingExample> sent = examples(jobId, 3);
    assertThat(sent).extracting(TrainingExample::exampleId).containsExactly("e-1", "up1-1", "up1-2");
    assertThat(sent.get(1).task()).isEqualTo("synthetic-addsub");
  }

  @Test
  void jsonLinesWithBadItemsAreAcceptedInPartAndTheRejectsSayWhy() {
    String jobId = Api.createJob("ingest-bad");
    String body = String.join("\n",
        "{\"instruction\": \"Add 1 and 1.\", \"output\": \"2\", \"exampleId\": \"a\"}",
        "{\"instruction\": \"\", \"output\": \"2\"}",
        "{not json",
        "",
        "{\"instruction\": \"Add 1 and 2.\", \"output\": \"3\", \"exampleId\": \"a\"}",
        "{\"instruction\": \"x\", \"output\": \"y\", \"jobId\": \"someone-else\"}",
        "[1, 2]",
        "{\"instruction\": \"Add 2 and 2.\", \"output\": \"4\", \"exampleId\": \"b\"}") + "\n";
    Api.authorised().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8)).post("/api/jobs/" + jobId + "/examples").then()
        .statusCode(200)
        .body("accepted", is(2))
        .body("rejected", is(5))
        .body("rejects[0].index", is(1)).body("rejects[0].line", is(2))
        .body("rejects[0].field", is("instruction"))
        .body("rejects[0].reason", containsString("must be non-blank"))
        .body("rejects[1].line", is(3)).body("rejects[1].field", is("body"))
        .body("rejects[1].reason", containsString("malformed JSON"))
        .body("rejects[2].line", is(5)).body("rejects[2].field", is("exampleId"))
        .body("rejects[3].field", is("jobId"))
        .body("rejects[4].reason", containsString("must be a JSON object"));
    assertThat(examples(jobId, 2)).extracting(TrainingExample::exampleId).containsExactly("a", "b");
  }

  @Test
  void examplesForUnknownOrCompletedJobsAreRefused() throws Exception {
    Api.authorised().contentType(ContentType.JSON).body("[]").post("/api/jobs/nobody/examples").then()
        .statusCode(404);
    String jobId = Api.createJob("ingest-done");
    new Feed(bootstrap).publish(Feed.event(jobId, JobState.COMPLETED, 1, 8));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/jobs/" + jobId).then().body("state", is("completed")));
    Api.authorised().contentType(ContentType.JSON).body("[]").post("/api/jobs/" + jobId + "/examples").then()
        .statusCode(409).body("detail", containsString("/resume"));
  }

  @Test
  void bodiesBeyondTheLimitAre413() throws Exception {
    String jobId = Api.createJob("ingest-big");
    String big = bigBody(70 * 1024);
    // Announced by Content-Length: refused before reading.
    Api.authorised().contentType(ContentType.JSON).body(big).post("/api/jobs/" + jobId + "/examples").then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("errors[0].field", is("body"))
        .body("errors[0].rule", is("must be at most 65536 bytes"));

    // Chunked: cut at the limit; what came before it was streamed.
    HttpURLConnection c = (HttpURLConnection) new URL(root, "/api/jobs/" + jobId + "/examples").openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(4096);
    c.setRequestProperty("Authorization", "Bearer " + Api.TOKEN);
    c.setRequestProperty("Content-Type", "application/x-ndjson");
    try (OutputStream out = c.getOutputStream()) {
      out.write(big.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      // The gateway may answer and close before the whole body is written.
    }
    assertThat(c.getResponseCode()).isEqualTo(413);
    String problem = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(problem).contains("examples before the limit were accepted");

    // A job spec has a smaller limit (256 KiB by default).
    Api.authorised().contentType(ContentType.JSON).body("{\"jobId\":\"x\",\"pad\":\"" + "x".repeat(300_000) + "\"}")
        .post("/api/jobs").then().statusCode(413);
  }

  @Test
  void curlsDefaultContentTypeIsReadAsTheBodyToo() throws Exception {
    // `curl --data-binary @file` says application/x-www-form-urlencoded unless told otherwise.
    String jobId = Api.createJob("ingest-curl");
    String body = bigBody(5000);
    var request = java.net.http.HttpRequest.newBuilder(new URL(root, "/api/jobs/" + jobId + "/examples").toURI())
        .header("Authorization", "Bearer " + Api.TOKEN)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
    var response = java.net.http.HttpClient.newHttpClient().send(request,
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"accepted\":" + body.lines().count());
  }

  @Test
  void examplesReachKafkaWhileTheBodyIsStillArriving() throws Exception {
    String jobId = Api.createJob("ingest-stream");
    HttpURLConnection c = (HttpURLConnection) new URL(root, "/api/jobs/" + jobId + "/examples").openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(256);
    c.setRequestProperty("Authorization", "Bearer " + Api.TOKEN);
    c.setRequestProperty("Content-Type", "application/x-ndjson");
    try (OutputStream out = c.getOutputStream()) {
      for (int i = 0; i < 3; i++) {
        out.write(("{\"instruction\":\"Add " + i + " and 1.\",\"output\":\"" + (i + 1) + "\"}\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      // The upload is still open, and its first examples are already on the topic.
      assertThat(examples(jobId, 3)).hasSize(3);
      out.write("{\"instruction\":\"Add 9 and 1.\",\"output\":\"10\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("\"accepted\":4");
  }

  private static String bigBody(int bytes) {
    var sb = new StringBuilder();
    for (int i = 0; sb.length() < bytes; i++) {
      sb.append("{\"instruction\":\"Add ").append(i).append(" and 1.\",\"output\":\"").append(i + 1)
          .append("\",\"exampleId\":\"big-").append(i).append("\"}\n");
    }
    return sb.toString();
  }

  private List<TrainingExample> examples(String jobId, int expected) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (var topic = TestKafkaClients.readFromBeginning(bootstrap, Topics.TRAINING_EXAMPLES)) {
      await().atMost(WAIT).until(() -> {
        topic.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(r -> jobId.equals(r.key())).count() >= expected;
      });
    }
    return seen.stream().filter(r -> jobId.equals(r.key()))
        .map(r -> EventCodec.fromJson(r.value(), TrainingExample.class)).toList();
  }
}
