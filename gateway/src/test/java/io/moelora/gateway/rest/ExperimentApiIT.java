package io.moelora.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.moelora.events.CheckpointPublished;
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
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** YAML job specs (recipe files as they are) and experiments over REST, on the real broker. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class ExperimentApiIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  /** The repository's recipes directory, found upwards from the module the test runs in. */
  private static Path recipes() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("recipes")) && Files.isRegularFile(d.resolve("pom.xml"))) {
        return d.resolve("recipes");
      }
    }
    throw new IllegalStateException("no recipes/ directory above " + Path.of("").toAbsolutePath());
  }

  // Rest-assured encodes strings only for content types it knows; bytes go as they are.
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRecipeFileIsAcceptedAsYamlUnderEveryYamlType() throws Exception {
    String recipe = Files.readString(recipes().resolve("moelora-4x2-top2-nocl.yaml"));
    for (String type : List.of("application/yaml", "application/x-yaml", "text/yaml; charset=utf-8")) {
      String jobId = Api.newJobId("yaml");
      Api.authorised().contentType(type).body(utf8(recipe.replace("jobId: moelora-4x2-top2-nocl", "jobId: " + jobId)))
          .post("/api/jobs").then()
          .statusCode(201)
          .body("jobId", is(jobId))
          .body("spec.adapter.type", is("moelora"))
          .body("spec.adapter.experts", is(4))
          .body("spec.adapter.rank", is(2))
          .body("spec.adapter.contrastiveWeight", is(0.0f))
          .body("spec.checkpoint.everySeconds", is(0))
          .body("spec.eval.suites", hasItem("synthetic"));
    }
  }

  @Test
  void badYamlIsA400ProblemWithTheReason() {
    Api.authorised().contentType("application/yaml").body(utf8("jobId: [x\nbaseModel: builtin:tiny\n"))
        .post("/api/jobs").then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", startsWith("not YAML: "))
        .body("errors[0].field", is("body"))
        .body("errors[0].rule", containsString("line"));
    Api.authorised().contentType("application/yaml").body(utf8("jobId: x\nbaseModel: builtin:tiny\nadpater: {rank: 4}\n"))
        .post("/api/jobs").then()
        .statusCode(400)
        .body("errors[0].field", is("adpater"))
        .body("errors[0].rule", startsWith("unknown field 'adpater': a JobSpec has [schemaVersion, jobId,"));
    Api.authorised().contentType("text/yaml").body(utf8("jobId: x\nbaseModel: builtin:tiny\nadapter:\n  rank: 0\n"))
        .post("/api/jobs").then()
        .statusCode(400)
        .body("errors[0].field", is("adapter.rank"))
        .body("errors[0].rule", is("must be in [1, 1024], got 0"));
    Api.authorised().contentType("application/yaml").body(utf8("- jobId: x\n")).post("/api/jobs").then()
        .statusCode(400).body("errors[0].field", is("body"));
  }

  @Test
  void anExperimentsJobsGetTheSameExamplesInTheSameOrderAndShowSideBySide() throws Exception {
    String experiment = "exp-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> members = new ArrayList<>();
    for (String adapter : List.of(
        "\"adapter\":{\"type\":\"lora\",\"rank\":8,\"alpha\":16}",
        "\"adapter\":{\"type\":\"moelora\",\"rank\":2,\"experts\":4,\"topK\":2,\"alpha\":16}",
        "\"adapter\":{\"type\":\"moelora\",\"rank\":2,\"experts\":4,\"topK\":2,\"alpha\":16,\"contrastiveWeight\":0}")) {
      String jobId = Api.newJobId("member");
      Api.authorised().contentType(ContentType.JSON)
          .body("{\"jobId\":\"" + jobId + "\",\"baseModel\":\"builtin:tiny\",\"experiment\":\"" + experiment + "\","
              + adapter + "}")
          .post("/api/jobs").then().statusCode(201).body("spec.experiment", is(experiment));
      members.add(jobId);
    }
    String outsider = Api.createJob("outsider");
    List<String> sorted = members.stream().sorted().toList();

    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      lines.append("{\"instruction\":\"Add ").append(i).append(" and 2.\",\"output\":\"").append(i + 2)
          .append("\",\"task\":\"synthetic-addsub\"}\n");
    }
    lines.append("{\"instruction\":\"no output\"}\n");
    lines.append("{\"jobId\":\"").append(members.get(0)).append("\",\"instruction\":\"x\",\"output\":\"y\"}\n");
    JsonPath report = Api.authorised().contentType("application/x-ndjson").body(utf8(lines.toString()))
        .post("/api/experiments/" + experiment + "/examples?idPrefix=fan").then()
        .statusCode(200)
        .body("experiment", is(experiment))
        .body("accepted", is(12))
        .body("rejected", is(2))
        .body("rejects[0].field", is("output"))
        .body("rejects[1].field", is("jobId"))
        .extract().jsonPath();
    assertThat(report.getList("jobs", String.class)).containsExactlyElementsOf(sorted);

    Map<String, List<String>> idsByJob = new LinkedHashMap<>();
    try (var topic = TestKafkaClients.readFromBeginning(bootstrap, Topics.TRAINING_EXAMPLES)) {
      List<ConsumerRecord<String, String>> seen = new ArrayList<>();
      await().atMost(WAIT).until(() -> {
        topic.poll(Duration.ofMillis(200)).forEach(seen::add);
        return members.stream().allMatch(m -> seen.stream().filter(r -> m.equals(r.key())).count() >= 12);
      });
      for (ConsumerRecord<String, String> r : seen) {
        TrainingExample e = EventCodec.fromJson(r.value(), TrainingExample.class);
        assertThat(e.jobId()).isEqualTo(r.key());
        idsByJob.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e.exampleId());
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      expected.add("fan-" + i);
    }
    for (String m : members) {
      assertThat(idsByJob.get(m)).as(m).containsExactlyElementsOf(expected);
    }
    assertThat(idsByJob).doesNotContainKey(outsider);

    // The trainer's and evaluator's part: two checkpoints of the first job, the second scored.
    Feed feed = new Feed(bootstrap);
    CheckpointPublished base = Feed.checkpoint(sorted.get(0), 0, 0);
    CheckpointPublished later = Feed.checkpoint(sorted.get(0), 12, 96);
    feed.publish(Feed.event(sorted.get(0), JobState.TRAINING, 12, 96), base, later,
        Feed.result(sorted.get(0), base.checkpointId(), "synthetic-addsub", 2, 10),
        Feed.result(sorted.get(0), later.checkpointId(), "synthetic-addsub", 7, 10),
        Feed.result(sorted.get(0), later.checkpointId(), "synthetic-choice", 5, 10));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/experiments/" + experiment).then()
        .statusCode(200)
        .body("jobs[0].latest.scores.'synthetic-addsub'", is(70.0f)));
    JsonPath view = given().get("/api/experiments/" + experiment).then().statusCode(200)
        .body("experiment", is(experiment))
        .body("suites", is(List.of("synthetic-addsub", "synthetic-choice")))
        .extract().jsonPath();
    assertThat(view.getList("jobs.jobId", String.class)).containsExactlyElementsOf(sorted);
    Map<String, Object> first = view.getMap("jobs[0]");
    assertThat(first).containsEntry("latestCheckpointStep", 12).containsEntry("step", 12)
        .containsEntry("examplesSeen", 96).containsEntry("trainableParams", 4096);
    assertThat(view.getFloat("jobs[0].latest.average")).isEqualTo(60.0f);
    assertThat(view.getList("jobs[0].curve.step", Integer.class)).containsExactly(0, 12);
    for (int i = 0; i < 3; i++) {
      Map<String, Object> m = view.getMap("jobs[" + i + "]");
      assertThat(m.get("totalRank")).as("equal parameters").isEqualTo(8);
      if ("lora".equals(m.get("adapterType"))) {
        assertThat(m).containsEntry("experts", 1).containsEntry("rank", 8);
      } else {
        assertThat(m).containsEntry("experts", 4).containsEntry("topK", 2).containsEntry("rank", 2);
      }
    }
    assertThat(view.getList("jobs.contrastiveWeight", Float.class)).containsExactlyInAnyOrder(0.0f, 0.1f, 0.0f);
    assertThat(view.getInt("jobs[1].latestCheckpointStep")).isEqualTo(-1);
    assertThat((Object) view.get("jobs[1].latest")).isNull();

    given().get("/api/experiments").then().statusCode(200)
        .body("find { it.experiment == '" + experiment + "' }.jobs", is(sorted));
    given().get("/api/experiments/no-such-experiment").then().statusCode(404);
    Api.authorised().contentType(ContentType.JSON).body("[]").post("/api/experiments/no-such-experiment/examples")
        .then().statusCode(404);
    given().contentType(ContentType.JSON).body("[]").post("/api/experiments/" + experiment + "/examples")
        .then().statusCode(401);

    // A completed member would miss what the others get: refused as a whole.
    feed.publish(Feed.event(sorted.get(2), JobState.COMPLETED, 12, 96));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/jobs/" + sorted.get(2)).then()
        .body("state", is("completed")));
    Api.authorised().contentType(ContentType.JSON).body("[{\"instruction\":\"a\",\"output\":\"b\"}]")
        .post("/api/experiments/" + experiment + "/examples").then()
        .statusCode(409).body("detail", containsString(sorted.get(2) + " (completed)"));
  }
}
