package io.moelora.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.kafkalocal.testing.TopicLog;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.Stack;
import io.moelora.reliability.support.TamperedCheckpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5: checkpoints tampered with on the shared volume after they were written (flipped bytes, a
 * manifest that lies, tensor shapes that disagree with the adapter config) are announced like genuine
 * ones. The packaged eval-service must refuse each with an EvalProgress "refused" and score none of
 * them, and the gateway must show no result and no board row for them, while a genuine checkpoint of
 * the same job announced after them is scored and ranked.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class TamperingIT {

  private static final String SCENARIO = "5 tampering";
  private static final String JOB = "tampered-job";
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private String gateway;

  @Test
  void tamperedCheckpointsAreRefusedAndNeverReachTheBoard() throws Exception {
    try (Stack stack = Stack.start(dir)) {
      int evalPort = Stack.freePort();
      int gatewayPort = Stack.freePort();
      Path storeRoot = stack.state().resolve("checkpoints");
      try (ServiceProcess eval = stack.eval("tampering-eval", Map.of("QUARKUS_HTTP_PORT", "" + evalPort));
          ServiceProcess gw = stack.gateway("tampering-gateway", gatewayPort, Map.of());
          TopicLog progress = new TopicLog(stack.bootstrap(), Topics.EVAL_PROGRESS);
          TopicLog results = new TopicLog(stack.bootstrap(), Topics.EVAL_RESULTS);
          TamperedCheckpoints checkpoints = new TamperedCheckpoints(storeRoot)) {
        gateway = "http://127.0.0.1:" + gatewayPort;
        HttpResponse<String> created = post("/api/jobs", job());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        Map<String, StoredCheckpoint> tampered = new LinkedHashMap<>();
        tampered.put("a flipped bytes", checkpoints.flippedBytes(JOB, 11));
        tampered.put("b lying manifest", checkpoints.lyingManifest(JOB, 12));
        tampered.put("c shapes disagree with config", checkpoints.shapesDisagree(JOB, 13));
        checkpoints.forget(JOB + "-wider");
        StoredCheckpoint genuine = checkpoints.genuine(JOB, TamperedCheckpoints.JOB_ADAPTER, 14);
        Stack.awaitReady(eval, evalPort, Duration.ofMinutes(2));

        // One at a time: announcements of one job that wait together are skipped for the newest.
        List<String> refusedIds = new ArrayList<>();
        long step = 1;
        for (var e : tampered.entrySet()) {
          StoredCheckpoint c = e.getValue();
          TestKafkaClients.send(stack.bootstrap(), Topics.CHECKPOINTS, JOB,
              EventCodec.toJson(TamperedCheckpoints.event(c, step++)));
          EvalProgress outcome = firstProgress(progress, c.checkpointId());
          // The reason without the checkpoint's directory: no machine path in the figures.
          String reason = outcome.message().replace(storeRoot.toAbsolutePath().toString(), "")
              .replaceFirst("^/" + JOB + "/[0-9a-f]{64}/?:? ?", "");
          Figures.record(SCENARIO, "outcome (" + e.getKey() + ")", outcome.kind().name().toLowerCase() + ": "
              + abbreviate(reason), "refused");
          if (outcome.kind() == EvalProgress.Kind.REFUSED) {
            refusedIds.add(c.checkpointId());
          }
        }
        // The genuine one, last: once it is scored and ranked, anything the tampered ones could have
        // produced would have come before it (one evaluator thread, one gateway feed).
        TestKafkaClients.send(stack.bootstrap(), Topics.CHECKPOINTS, JOB,
            EventCodec.toJson(TamperedCheckpoints.event(genuine, step)));
        results.awaitFirst(WAIT, r -> JOB.equals(r.key()) && result(r).checkpointId().equals(genuine.checkpointId()));
        awaitBoardRow(genuine.checkpointId());

        List<String> tamperedIds = tampered.values().stream().map(StoredCheckpoint::checkpointId).toList();
        long resultsForTampered = results.poll().stream().filter(r -> tamperedIds.contains(result(r).checkpointId()))
            .count();
        long apiResults = 0;
        for (String id : tamperedIds) {
          apiResults += JSON.readTree(get("/api/results?checkpoint=" + id)).size();
        }
        int boardRows = boardRowsFor(tamperedIds);
        int scoredInHistory = scoredInJobHistory(tamperedIds);

        Figures.record(SCENARIO, "tampered checkpoints published", tampered.size(), "= 3");
        Figures.record(SCENARIO, "refused (EvalProgress refused)", refusedIds.size(), "= 3");
        Figures.record(SCENARIO, "results for tampered (topic + REST)", resultsForTampered + apiResults, "0");
        Figures.record(SCENARIO, "board rows for tampered (all boards)", boardRows, "0");
        Figures.record(SCENARIO, "scores for tampered in the job's history", scoredInHistory, "0");
        Figures.record(SCENARIO, "genuine checkpoint after them scored and ranked", "yes", "yes");

        assertThat(refusedIds).containsExactlyElementsOf(tamperedIds);
        assertThat(resultsForTampered + apiResults).isZero();
        assertThat(boardRows).isZero();
        assertThat(scoredInHistory).isZero();
        assertThat(eval.alive() && gw.alive()).isTrue();
      }
    }
  }

  /** The first EvalProgress about {@code checkpointId}; for a tampered one it must be the refusal. */
  private static EvalProgress firstProgress(TopicLog progress, String checkpointId) {
    ConsumerRecord<String, String> r = progress.awaitFirst(WAIT,
        p -> EventCodec.fromJson(p.value(), EvalProgress.class).checkpointId().equals(checkpointId));
    return EventCodec.fromJson(r.value(), EvalProgress.class);
  }

  private static EvalResult result(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), EvalResult.class);
  }

  private void awaitBoardRow(String checkpointId) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (get("/api/leaderboard?board=overall&limit=10000").contains(checkpointId)) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the genuine checkpoint " + checkpointId + " never reached the overall board");
  }

  /** Rows naming any of {@code ids}, over every board the gateway has. */
  private int boardRowsFor(List<String> ids) throws Exception {
    int rows = 0;
    for (JsonNode board : JSON.readTree(get("/api/leaderboard/boards"))) {
      JsonNode view = JSON.readTree(get("/api/leaderboard?limit=10000&board=" + board.asText()));
      for (JsonNode row : view.path("rows")) {
        rows += ids.contains(row.path("checkpointId").asText()) ? 1 : 0;
      }
    }
    return rows;
  }

  /**
   * Tampered checkpoints with a score in the job's history. The history lists every announcement (it is
   * what the trainer said), so they may appear there, but never with a score.
   */
  private int scoredInJobHistory(List<String> ids) throws Exception {
    int scored = 0;
    for (JsonNode entry : JSON.readTree(get("/api/jobs/" + JOB + "/checkpoints"))) {
      if (ids.contains(entry.path("checkpoint").path("checkpointId").asText())
          && (entry.path("scores").size() > 0 || entry.path("results").size() > 0)) {
        scored++;
      }
    }
    return scored;
  }

  private static String job() {
    return "{\"jobId\":\"" + JOB + "\",\"baseModel\":\"builtin:tiny\","
        + "\"adapter\":{\"type\":\"moelora\",\"rank\":2,\"alpha\":8,\"experts\":2,\"topK\":1},"
        + "\"eval\":{\"suites\":[\"synthetic-choice\"],\"limit\":4,\"decoding\":\"greedy\"}}";
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + Stack.TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws Exception {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(path + ": " + reply.body()).isEqualTo(200);
    return reply.body();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
