package io.moelora.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.events.EvalProgress;
import io.moelora.events.JobState;
import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.Feed;
import io.moelora.gateway.support.SseClient;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The SSE streams against the real broker: typed events, resuming with Last-Event-ID, heartbeats. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class StreamIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @TestHTTPResource("/api/stream")
  URL all;

  @TestHTTPResource("/api/stream/leaderboard")
  URL leaderboard;

  @TestHTTPResource("/")
  URL root;

  @Test
  void everyKindOfEventArrivesTypedAndAResumedStreamMissesNothingAndRepeatsNothing() throws Exception {
    String jobId = Api.newJobId("sse");
    Feed feed = new Feed(bootstrap);
    List<SseClient.Event> firstPart;
    try (SseClient first = SseClient.open(all, Map.of())) {
      assertThat(first.status()).isEqualTo(200);
      Api.authorised().contentType(ContentType.JSON).body(Api.spec(jobId)).post("/api/jobs").then().statusCode(201);
      String checkpointId = jobId + "-s1";
      feed.publish(Feed.event(jobId, JobState.TRAINING, 0, 0), Feed.metrics(jobId, 1, 2.5),
          Feed.checkpoint(jobId, 1, 8), Feed.progress(jobId, checkpointId, EvalProgress.Kind.STARTED),
          Feed.result(jobId, checkpointId, "synthetic-addsub", 1, 2));
      firstPart = first.awaitCount(WAIT, mine(jobId), 6);
      assertThat(firstPart).extracting(SseClient.Event::name)
          .containsExactlyInAnyOrder("job", "job-event", "metrics", "checkpoint", "eval-progress", "eval-result");
      assertThat(firstPart).allSatisfy(e -> assertThat(e.id()).isNotBlank());
      // The board the result changed follows as a leaderboard event.
      first.await(WAIT, e -> "leaderboard".equals(e.name()) && e.data().contains(checkpointId));
    }
    String lastSeen = firstPart.get(firstPart.size() - 1).id();

    // While disconnected: more events.
    feed.publish(Feed.metrics(jobId, 2, 2.0), Feed.checkpoint(jobId, 2, 16),
        Feed.event(jobId, JobState.CHECKPOINTED, 2, 16));
    try (SseClient resumed = SseClient.open(all, Map.of("Last-Event-ID", lastSeen))) {
      List<SseClient.Event> missed = resumed.awaitCount(WAIT, mine(jobId), 3);
      assertThat(missed).extracting(SseClient.Event::name)
          .containsExactlyInAnyOrder("metrics", "checkpoint", "job-event");
      // Nothing seen before the id comes again, even after a while.
      Thread.sleep(500);
      assertThat(resumed.events().stream().filter(mine(jobId)).toList()).hasSize(3);
    }
  }

  @Test
  void aJobsStreamCarriesOnlyThatJobAndResumesToo() throws Exception {
    String jobId = Api.createJob("sse-job");
    String other = Api.createJob("sse-other");
    Feed feed = new Feed(bootstrap);
    URL url = new URL(root, "/api/jobs/" + jobId + "/stream");
    String resumeAt;
    try (SseClient stream = SseClient.open(url, Map.of())) {
      feed.publish(Feed.metrics(other, 1, 3.0), Feed.metrics(jobId, 1, 3.0));
      resumeAt = stream.await(WAIT, e -> "metrics".equals(e.name())).id();
      feed.publish(Feed.metrics(jobId, 2, 2.0));
      stream.awaitCount(WAIT, e -> "metrics".equals(e.name()), 2);
      assertThat(stream.events()).allSatisfy(e -> assertThat(e.data()).contains(jobId));
    }
    try (SseClient resumed = SseClient.open(new URL(url + "?lastEventId=" + resumeAt), Map.of())) {
      SseClient.Event again = resumed.await(WAIT, e -> "metrics".equals(e.name()));
      assertThat(again.data()).contains("\"step\":2");
    }
    assertThat(SseClient.open(new URL(root, "/api/jobs/nobody/stream"), Map.of()).status()).isEqualTo(404);
  }

  @Test
  void theLeaderboardStreamStartsWithEveryBoardAndThenFollowsChanges() throws Exception {
    String suite = "sse-" + UUID.randomUUID().toString().substring(0, 8);
    String jobId = Api.createJob("sse-lb");
    Feed feed = new Feed(bootstrap);
    // A fresh stream carries live events only: subscribed before the publish, the watcher cannot miss the
    // board's update however fast the gateway applies it
    try (SseClient watcher = SseClient.open(all, Map.of())) {
      assertThat(watcher.status()).isEqualTo(200);
      feed.publish(Feed.checkpoint(jobId, 1, 8), Feed.result(jobId, jobId + "-s1", suite, 1, 4));
      watcher.await(WAIT, e -> "leaderboard".equals(e.name()) && e.data().contains("\"board\":\"" + suite + "\""));
    }
    try (SseClient boards = SseClient.open(leaderboard, Map.of())) {
      SseClient.Event snapshot = boards.await(WAIT, e -> e.data().contains("\"board\":\"" + suite + "\""));
      assertThat(snapshot.name()).isEqualTo("leaderboard");
      assertThat(boards.events()).extracting(SseClient.Event::name).containsOnly("leaderboard");
      assertThat(boards.events()).extracting(SseClient.Event::data).anyMatch(d -> d.contains("\"board\":\"overall\""));

      feed.publish(Feed.result(jobId, jobId + "-s1", suite, 3, 4));
      SseClient.Event change = boards.await(WAIT, e -> e.data().contains("\"board\":\"" + suite + "\"")
          && e.data().contains("\"average\":75.0"));
      assertThat(change.id()).isNotEqualTo(snapshot.id());
    }
  }

  @Test
  void anUnusableLastEventIdGetsAResetAndHeartbeatsKeepTheStreamAlive() throws Exception {
    try (SseClient stream = SseClient.open(all, Map.of("Last-Event-ID", "not-a-position"))) {
      SseClient.Event reset = stream.await(WAIT, e -> true);
      assertThat(reset.name()).isEqualTo("reset");
      assertThat(reset.id()).isNotBlank();
      // The test profile beats every second.
      await().atMost(Duration.ofSeconds(5)).until(() -> stream.comments().contains("heartbeat"));
      assertThat(stream.comments()).startsWith("connected");
    }
  }

  private static java.util.function.Predicate<SseClient.Event> mine(String jobId) {
    return e -> !"leaderboard".equals(e.name()) && e.data().contains("\"jobId\":\"" + jobId + "\"");
  }
}
