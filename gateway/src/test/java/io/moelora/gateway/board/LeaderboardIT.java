package io.moelora.gateway.board;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.moelora.events.EventCodec;
import io.moelora.events.LeaderboardRow;
import io.moelora.events.LeaderboardUpdate;
import io.moelora.events.Topics;
import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.Feed;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Jobs created and fed over the API, checkpoints and scores published as the trainer and the eval
 * service publish them, boards read over REST and from moelora.leaderboard.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class LeaderboardIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @Test
  void resultsAppearOnTheBoardsInTheRightOrder() throws Exception {
    // A suite of this test's own, so that its board holds only this test's rows.
    String suite = "lb-" + UUID.randomUUID().toString().substring(0, 8);
    String a = Api.createJob("lb-a");
    String b = Api.createJob("lb-b");
    Api.authorised().contentType(ContentType.JSON)
        .body("[{\"instruction\":\"Add 1 and 1.\",\"output\":\"2\"},{\"instruction\":\"Pick one.\",\"output\":\"answer1\"}]")
        .post("/api/jobs/" + a + "/examples").then().statusCode(200).body("accepted", is(2));

    Feed feed = new Feed(bootstrap);
    feed.publish(Feed.checkpoint(a, 0, 0), Feed.checkpoint(a, 4, 32), Feed.checkpoint(b, 0, 0), Feed.checkpoint(b, 2, 16));
    feed.publishAll(Topics.EVAL_RESULTS, List.of(
        Feed.result(a, a + "-s0", suite, 2, 10),                   // 20
        Feed.result(a, a + "-s4", suite, 7, 10),                   // 70
        Feed.result(a, a + "-s4", "synthetic-addsub", 6, 10),      // math 60
        Feed.result(a, a + "-s4", "synthetic-choice", 9, 10),      // commonsense 90
        Feed.result(b, b + "-s0", suite, 2, 10),                   // 20: ties a-s0, same examples/step: by job id
        Feed.result(b, b + "-s2", suite, 14, 20),                  // 70: ties a-s4 with fewer examples: first
        Feed.result(b, b + "-s2", suite, 14, 20)));                // a repeat changes nothing

    await().atMost(WAIT).untilAsserted(() -> {
      JsonPath board = given().get("/api/leaderboard?board=" + suite).then().statusCode(200).extract().jsonPath();
      assertThat(board.getList("rows.checkpointId", String.class))
          .containsExactly(b + "-s2", a + "-s4", a + "-s0", b + "-s0");
      assertThat(board.getList("rows.rank", Integer.class)).containsExactly(1, 1, 3, 3);
      assertThat(board.getInt("totalRows")).isEqualTo(4);
    });
    JsonPath top = given().get("/api/leaderboard?board=" + suite + "&limit=1").then().extract().jsonPath();
    assertThat(top.getList("rows")).hasSize(1);
    assertThat(top.getString("rows[0].adapterType")).isEqualTo("moelora");
    assertThat(top.getLong("rows[0].trainableParams")).isEqualTo(4096L);
    assertThat(top.getLong("rows[0].examplesSeen")).isEqualTo(16L);
    assertThat(top.getString("rows[0].protocolVersion")).isEqualTo("llm-adapters-1");
    assertThat(top.getString("rows[0].extractors." + suite)).isEqualTo("numeric");
    assertThat(top.getString("order")).startsWith("average descending");

    JsonPath best = given().get("/api/leaderboard?board=" + suite + "&bestPerJob=true").then().extract().jsonPath();
    assertThat(best.getList("rows.checkpointId", String.class)).containsExactly(b + "-s2", a + "-s4");

    // a-s4 on overall: mean of 70, 60, 90; on the group boards, its group's suites only.
    assertThat(row("overall", a + "-s4").average()).isEqualTo((70.0 + 60.0 + 90.0) / 3);
    assertThat(row("math", a + "-s4").average()).isEqualTo(60.0);
    assertThat(row("commonsense", a + "-s4").average()).isEqualTo(90.0);
    assertThat(row("overall", a + "-s4").averages()).containsKeys("overall", "math", "commonsense");
    given().get("/api/leaderboard/boards").then().body("$", hasItem(suite));
    given().get("/api/results?checkpoint=" + b + "-s2").then().statusCode(200)
        .body("size()", is(1)).body("[0].accuracy", is(70.0f));
    given().get("/api/results").then().statusCode(400).body("errors[0].field", is("checkpoint"));
    given().get("/api/leaderboard?board=no-such-board").then().statusCode(404);
    given().get("/api/jobs/" + a).then().body("best.checkpointId", is(a + "-s4"));

    // Published for Kafka subscribers: the latest state of the suite's board.
    LeaderboardUpdate published = latestPublished(suite, 4);
    assertThat(published.rows()).extracting(LeaderboardRow::checkpointId)
        .containsExactly(b + "-s2", a + "-s4", a + "-s0", b + "-s0");
  }

  private LeaderboardRow row(String board, String checkpointId) throws Exception {
    String body = given().get("/api/leaderboard?board=" + board + "&limit=10000").then().statusCode(200)
        .extract().asString();
    for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("rows")) {
      if (checkpointId.equals(row.get("checkpointId").asText())) {
        return EventCodec.fromJson(row.toString(), LeaderboardRow.class);
      }
    }
    throw new AssertionError(checkpointId + " is not on board " + board);
  }

  private LeaderboardUpdate latestPublished(String board, int rows) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (var topic = TestKafkaClients.readFromBeginning(bootstrap, Topics.LEADERBOARD)) {
      await().atMost(WAIT).until(() -> {
        topic.poll(Duration.ofMillis(200)).forEach(seen::add);
        var mine = seen.stream().filter(r -> board.equals(r.key())).toList();
        return !mine.isEmpty()
            && EventCodec.fromJson(mine.get(mine.size() - 1).value(), LeaderboardUpdate.class).rows().size() == rows;
      });
    }
    var mine = seen.stream().filter(r -> board.equals(r.key())).toList();
    return EventCodec.fromJson(mine.get(mine.size() - 1).value(), LeaderboardUpdate.class);
  }
}
