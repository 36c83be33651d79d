package io.moelora.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.Feed;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Jobs over REST on the real broker: create, read back, validate, control. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class JobApiIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @Test
  void aCreatedJobIsPublishedWithItsDefaultsAndReadBackAtOnce() {
    String jobId = Api.newJobId("create");
    Api.authorised().contentType(ContentType.JSON).body(Api.spec(jobId)).post("/api/jobs").then()
        .statusCode(201)
        .header("Location", containsString("/api/jobs/" + jobId))
        .body("jobId", is(jobId))
        .body("state", is("submitted"))
        .body("spec.adapter.type", is("moelora"))
        .body("spec.maxExamples", is(0));

    given().get("/api/jobs/" + jobId).then().statusCode(200).body("spec.baseModel", is("builtin:tiny"));
    given().get("/api/jobs").then().statusCode(200).body("jobId", hasItem(jobId));
    JobSpec published = lastSpec(jobId);
    assertThat(published).isEqualTo(JobSpec.withDefaults(jobId, "builtin:tiny"));

    // The same id again is an update.
    Api.authorised().contentType(ContentType.JSON)
        .body("{\"jobId\":\"" + jobId + "\",\"baseModel\":\"builtin:tiny\",\"maxExamples\":64}")
        .post("/api/jobs").then().statusCode(200).body("spec.maxExamples", is(64));
  }

  @Test
  void anInvalidSpecIsA400ProblemNamingTheFieldAndTheRule() {
    Api.authorised().contentType(ContentType.JSON)
        .body("{\"jobId\":\"bad-rank\",\"baseModel\":\"builtin:tiny\",\"adapter\":{\"rank\":0}}")
        .post("/api/jobs").then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", is("urn:moelora:problem:validation"))
        .body("status", is(400))
        .body("errors[0].field", is("adapter.rank"))
        .body("errors[0].rule", is("must be in [1, 1024], got 0"));

    Api.authorised().contentType(ContentType.JSON).body("{\"baseModel\":\"builtin:tiny\"}").post("/api/jobs").then()
        .statusCode(400).body("errors[0].field", is("jobId")).body("errors[0].rule", is("is required"));
    Api.authorised().contentType(ContentType.JSON).body("{\"jobId\":\"x\",\"baseModel\":\"/etc/passwd\"}")
        .post("/api/jobs").then().statusCode(400).body("errors[0].field", is("baseModel"));
    Api.authorised().contentType(ContentType.JSON).body("{\"jobId\":\"x\",").post("/api/jobs").then()
        .statusCode(400).body("errors[0].field", is("body"));
    Api.authorised().contentType(ContentType.JSON).body("[]").post("/api/jobs").then()
        .statusCode(400).body("errors[0].field", is("body"));
  }

  @Test
  void unknownJobsAre404Problems() {
    given().get("/api/jobs/no-such-job").then().statusCode(404)
        .contentType("application/problem+json").body("detail", is("no job no-such-job"));
    given().get("/api/jobs/bad$id").then().statusCode(400).body("errors[0].field", is("id"));
    Api.authorised().post("/api/jobs/no-such-job/complete").then().statusCode(404);
  }

  @Test
  void completeSetsMaxExamplesToTheExamplesTrainedSoFar() throws Exception {
    String jobId = Api.createJob("complete");
    Api.authorised().post("/api/jobs/" + jobId + "/complete").then().statusCode(409)
        .body("detail", containsString("has trained no examples yet"));

    new Feed(bootstrap).publish(Feed.event(jobId, JobState.TRAINING, 0, 0), Feed.checkpoint(jobId, 3, 24),
        Feed.event(jobId, JobState.CHECKPOINTED, 3, 24));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/jobs/" + jobId).then().body("examplesSeen", is(24)));

    Api.authorised().post("/api/jobs/" + jobId + "/complete").then().statusCode(202)
        .body("action", is("complete"))
        .body("spec.maxExamples", is(24));
    assertThat(lastSpec(jobId).maxExamples()).isEqualTo(24L);
    given().get("/api/jobs/" + jobId).then().body("spec.maxExamples", is(24));

    // The trainer reports completion; complete again is a conflict, resume makes it continuous.
    new Feed(bootstrap).publish(Feed.event(jobId, JobState.COMPLETED, 3, 24));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/jobs/" + jobId).then().body("state", is("completed")));
    Api.authorised().post("/api/jobs/" + jobId + "/complete").then().statusCode(409);
    Api.authorised().post("/api/jobs/" + jobId + "/resume").then().statusCode(202)
        .body("spec.maxExamples", is(0));
    assertThat(lastSpec(jobId).continuous()).isTrue();
  }

  @Test
  void pauseAndResumeToggleTheSpecAndDivergedJobsNeedAChangedSpec() throws Exception {
    String jobId = Api.createJob("pause");
    Api.authorised().post("/api/jobs/" + jobId + "/pause").then().statusCode(202)
        .body("spec.paused", is(true));
    await().atMost(WAIT).until(() -> lastSpec(jobId).paused());
    Api.authorised().post("/api/jobs/" + jobId + "/pause").then().statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("already paused"));
    Api.authorised().post("/api/jobs/" + jobId + "/resume").then().statusCode(202)
        .body("spec.paused", is(false));
    await().atMost(WAIT).until(() -> !lastSpec(jobId).paused());
    Api.authorised().post("/api/jobs/" + jobId + "/resume").then().statusCode(409)
        .body("detail", containsString("nothing to resume"));

    new Feed(bootstrap).publish(Feed.event(jobId, JobState.PAUSED, 5, 40));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/jobs/" + jobId).then().body("state", is("paused")));
    Api.authorised().post("/api/jobs/" + jobId + "/resume").then().statusCode(409)
        .body("detail", containsString("when its spec changes"));
  }

  @Test
  void historyAndTrainingCurveOfAJob() throws Exception {
    String jobId = Api.createJob("history");
    Feed feed = new Feed(bootstrap);
    feed.publishAll(Topics.TRAINING_METRICS, List.of(Feed.metrics(jobId, 1, 2.0), Feed.metrics(jobId, 5, 1.5),
        Feed.metrics(jobId, 10, 1.0)));
    feed.publish(Feed.checkpoint(jobId, 10, 80), Feed.checkpoint(jobId, 0, 0),
        Feed.result(jobId, jobId + "-s10", "synthetic-addsub", 3, 4));
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/jobs/" + jobId + "/checkpoints").then()
        .statusCode(200)
        .body("size()", is(2))
        .body("[0].checkpoint.step", is(0))
        .body("[1].checkpoint.step", is(10))
        .body("[1].scores.synthetic-addsub", equalTo(75.0f))
        .body("[1].averages.math", equalTo(75.0f))
        .body("[1].results[0].extractor", is("numeric")));
    given().get("/api/jobs/" + jobId + "/metrics?since=1").then().statusCode(200)
        .body("step", org.hamcrest.Matchers.contains(5, 10));
    given().get("/api/jobs/" + jobId + "/metrics?limit=0").then().statusCode(400)
        .body("errors[0].field", is("limit"));
    given().get("/api/jobs/" + jobId).then().body("best.checkpointId", is(jobId + "-s10"))
        .body("latestCheckpointId", is(jobId + "-s10"));
  }

  private JobSpec lastSpec(String jobId) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (var jobs = TestKafkaClients.readFromBeginning(bootstrap, Topics.JOBS)) {
      // Read to the end: the latest spec of the job is the one that counts.
      await().atMost(WAIT).until(() -> {
        int before = seen.size();
        jobs.poll(Duration.ofMillis(300)).forEach(seen::add);
        return seen.size() == before && seen.stream().anyMatch(r -> jobId.equals(r.key()));
      });
    }
    var mine = seen.stream().filter(r -> jobId.equals(r.key())).toList();
    return EventCodec.fromJson(mine.get(mine.size() - 1).value(), JobSpec.class);
  }
}
