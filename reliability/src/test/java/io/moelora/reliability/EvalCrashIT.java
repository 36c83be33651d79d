package io.moelora.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.kafkalocal.testing.TopicLog;
import io.moelora.reliability.support.EvalCrashJobs;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2: the eval-service is killed with SIGKILL in the middle of a suite (after a
 * {@code progress} event of that suite, before its result), restarted each time, until every
 * (checkpoint, suite) pair is scored. Each pair must then be on {@code moelora.eval-results} once and
 * counted once on the gateway's board. Checkpoints come from the packaged trainer, results and board
 * from the packaged eval-service and gateway, all on one real broker.
 *
 * <p>Most of the run is Kafka's doing: a restarted eval-service gets its partitions only once the
 * group has given up on the killed member (the consumers' session timeout, 10 s).
 */
class EvalCrashIT {

  private static final String SCENARIO = "2 eval crash mid-suite";
  private static final List<String> JOBS = List.of("evalcrash-a", "evalcrash-b");
  /** Kills that must land mid-suite; the second waits for a checkpoint's second suite. */
  private static final int MID_SUITE_KILLS = 2;
  /** Items per suite: enough that a suite runs for seconds on the tiny model. */
  private static final int LIMIT = 100;
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Map<String, String> EVAL_ENV = Map.of("MOELORA_EVAL_PROGRESS_EVERY", "10");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One result slot. */
  record Pair(String checkpointId, String suite) {}

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killNineMidSuiteCountsEachResultOnce() throws Exception {
    try (Stack stack = Stack.start(dir);
        TopicLog progress = new TopicLog(stack.bootstrap(), Topics.EVAL_PROGRESS);
        TopicLog results = new TopicLog(stack.bootstrap(), Topics.EVAL_RESULTS)) {
      int port = Stack.freePort();
      try (ServiceProcess gateway = stack.gateway("evalcrash-gateway", port, Map.of())) {
        List<CheckpointPublished> checkpoints = baselines(stack);
        Set<Pair> expected = new HashSet<>();
        checkpoints.forEach(c -> EvalCrashJobs.SUITES.forEach(s -> expected.add(new Pair(c.checkpointId(), s))));

        int kills = 0;
        int midSuite = 0;
        Instant started = Instant.now();
        ServiceProcess eval = stack.eval("evalcrash-eval-0", EVAL_ENV);
        try {
          while (midSuite < MID_SUITE_KILLS) {
            // The first kill takes any suite in progress; the next ones a checkpoint's later suite, so
            // that a restart has to keep the suites already scored and re-run only the interrupted one.
            BiPredicate<Pair, Set<Pair>> target = midSuite == 0 ? (p, done) -> true
                : (p, done) -> done.stream().anyMatch(s -> s.checkpointId().equals(p.checkpointId()));
            Pair running = awaitSuiteInProgress(progress, results, target, eval, started);
            eval.kill9();
            kills++;
            // A result acknowledged just before the kill may still be on its way to this reader.
            Thread.sleep(1000);
            boolean interrupted = !scored(results).contains(running);
            midSuite += interrupted ? 1 : 0;
            System.out.printf("[eval crash] kill %d: %s of checkpoint %s %s%n", kills, running.suite(),
                running.checkpointId(), interrupted ? "interrupted mid-suite" : "had just been scored");
            started = Instant.now();
            eval = stack.eval("evalcrash-eval-" + kills, EVAL_ENV);
          }
          awaitUntil(() -> scored(results).containsAll(expected), "every pair scored", eval);
          eval.stop();
        } finally {
          eval.close();
        }

        List<Pair> onTopic = resultsOnTopic(results);
        Map<Pair, Integer> topicCounts = counts(onTopic);
        Map<Pair, Integer> boardCounts = awaitBoard(port, checkpoints, expected);
        int boardRowsRepeated = repeatedBoardRows(port, checkpoints);
        Map<Pair, Integer> starts = startsPerPair(progress, expected);
        int restarts = expected.stream().mapToInt(p -> Math.max(0, starts.getOrDefault(p, 0) - 1)).sum();
        long unseenStarts = expected.stream().filter(p -> !starts.containsKey(p)).count();

        Figures.record(SCENARIO, "eval kills (kill -9)", kills, "≥ " + MID_SUITE_KILLS);
        Figures.record(SCENARIO, "kills mid-suite (after progress, before result)", midSuite,
            "≥ " + MID_SUITE_KILLS);
        Figures.record(SCENARIO, "suite runs started again after a kill", restarts, "report");
        Figures.record(SCENARIO, "pairs whose start event was not seen (progress events are best effort)",
            unseenStarts, "report");
        Figures.record(SCENARIO, "(checkpoint, suite) pairs expected", expected.size(), "report");
        Figures.record(SCENARIO, "results on topic", onTopic.size(), "= " + expected.size());
        Figures.record(SCENARIO, "duplicates on topic", onTopic.size() - topicCounts.size(), "0");
        int onBoard = boardCounts.values().stream().mapToInt(Integer::intValue).sum();
        Figures.record(SCENARIO, "pairs on board", onBoard, "= " + expected.size());
        Figures.record(SCENARIO, "duplicates on board", onBoard - boardCounts.size() + boardRowsRepeated, "0");

        assertThat(midSuite).as("kills that interrupted a suite").isGreaterThanOrEqualTo(MID_SUITE_KILLS);
        assertThat(topicCounts.keySet()).as("pairs scored on the topic").isEqualTo(expected);
        assertThat(onTopic).as("results on the topic, one per pair").hasSize(expected.size());
        assertThat(boardCounts.keySet()).as("pairs on the board").isEqualTo(expected);
        assertThat(boardCounts.values()).as("times each pair is counted on the board").containsOnly(1);
        assertThat(boardRowsRepeated).as("checkpoints listed twice on a board").isZero();
      }
    }
  }

  /**
   * Starts the trainer, gives each job a few examples (the first opens the job: its step-0
   * checkpoint), waits for one checkpoint per job and stops the trainer, leaving the cores to the
   * evaluator.
   */
  private static List<CheckpointPublished> baselines(Stack stack) throws Exception {
    for (int i = 0; i < JOBS.size(); i++) {
      String job = JOBS.get(i);
      TestKafkaClients.send(stack.bootstrap(), Topics.JOBS, job,
          EventCodec.toJson(EvalCrashJobs.spec(job, 2 + i, LIMIT)));
      TestKafkaClients.sendAll(stack.bootstrap(), Topics.TRAINING_EXAMPLES, EvalCrashJobs.examples(job, 4));
    }
    List<CheckpointPublished> out = new ArrayList<>();
    try (ServiceProcess trainer = stack.trainer("evalcrash-trainer", Map.of());
        TopicLog checkpoints = new TopicLog(stack.bootstrap(), Topics.CHECKPOINTS)) {
      for (String job : JOBS) {
        ConsumerRecord<String, String> r = checkpoints.awaitFirst(WAIT, c -> job.equals(c.key()));
        out.add(EventCodec.fromJson(r.value(), CheckpointPublished.class));
      }
      trainer.stop();
      assertThat(checkpoints.poll()).as("one checkpoint per job").hasSize(JOBS.size());
    }
    return out;
  }

  /**
   * Waits for a {@code progress} event of a suite that has no result yet and that {@code target}
   * accepts (given the pairs scored so far), sent by the eval-service started at {@code since} (not a
   * late event of the one killed before it).
   */
  private static Pair awaitSuiteInProgress(TopicLog progress, TopicLog results, BiPredicate<Pair, Set<Pair>> target,
      ServiceProcess eval, Instant since) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<ConsumerRecord<String, String>> all = progress.poll();
      Set<Pair> done = scored(results);
      for (ConsumerRecord<String, String> r : all) {
        EvalProgress p = EventCodec.fromJson(r.value(), EvalProgress.class);
        Pair pair = new Pair(p.checkpointId(), p.suite());
        if (p.kind() == EvalProgress.Kind.PROGRESS && p.timestamp().isAfter(since) && !done.contains(pair)
            && target.test(pair, done)) {
          return pair;
        }
      }
      if (!eval.alive()) {
        throw new AssertionError("the eval-service exited; see " + eval.log());
      }
    }
    throw new AssertionError("no suite in progress within " + WAIT + "; see " + eval.log());
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition, String what, ServiceProcess eval)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + WAIT + "; see " + eval.log());
      }
      if (!eval.alive()) {
        throw new AssertionError("the eval-service exited; see " + eval.log());
      }
      Thread.sleep(200);
    }
  }

  private static Set<Pair> scored(TopicLog results) {
    return new HashSet<>(resultsOnTopic(results));
  }

  private static List<Pair> resultsOnTopic(TopicLog results) {
    return results.poll().stream().filter(r -> JOBS.contains(r.key()))
        .map(r -> EventCodec.fromJson(r.value(), EvalResult.class))
        .map(r -> new Pair(r.checkpointId(), r.suite())).toList();
  }

  // How often each pair's suite was started (STARTED progress events, sent without waiting: a kill
  // may lose one). Reads the progress topic until every pair's FINISHED event (sent durably, after
  // its STARTED) is there, at most 30 s.
  private static Map<Pair, Integer> startsPerPair(TopicLog progress, Set<Pair> expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<EvalProgress> events = progress.poll().stream()
          .map(r -> EventCodec.fromJson(r.value(), EvalProgress.class)).toList();
      Set<Pair> finished = events.stream().filter(p -> p.kind() == EvalProgress.Kind.FINISHED)
          .map(p -> new Pair(p.checkpointId(), p.suite())).collect(Collectors.toSet());
      if (finished.containsAll(expected) || System.nanoTime() > deadline) {
        return counts(events.stream().filter(p -> p.kind() == EvalProgress.Kind.STARTED)
            .map(p -> new Pair(p.checkpointId(), p.suite())).toList());
      }
      Thread.sleep(200);
    }
  }

  private static <T> Map<T, Integer> counts(List<T> items) {
    Map<T, Integer> out = new HashMap<>();
    items.forEach(i -> out.merge(i, 1, Integer::sum));
    return out;
  }

  /**
   * The gateway's results of each checkpoint ({@code GET /api/results}), once it shows all of
   * {@code expected}: how often it lists each pair.
   */
  private static Map<Pair, Integer> awaitBoard(int port, List<CheckpointPublished> checkpoints, Set<Pair> expected)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<Pair> listed = new ArrayList<>();
      for (CheckpointPublished c : checkpoints) {
        for (JsonNode r : get(port, "/api/results?checkpoint=" + URLEncoder.encode(c.checkpointId(),
            StandardCharsets.UTF_8))) {
          listed.add(new Pair(r.path("checkpointId").asText(), r.path("suite").asText()));
        }
      }
      Map<Pair, Integer> counted = counts(listed);
      if (counted.keySet().containsAll(expected) || System.nanoTime() > deadline) {
        return counted;
      }
      Thread.sleep(300);
    }
  }

  // Rows beyond one per checkpoint, over the overall board and each suite's board.
  private static int repeatedBoardRows(int port, List<CheckpointPublished> checkpoints)
      throws IOException, InterruptedException {
    Set<String> ours = new HashSet<>();
    checkpoints.forEach(c -> ours.add(c.checkpointId()));
    int repeated = 0;
    List<String> boards = new ArrayList<>(List.of("overall"));
    boards.addAll(EvalCrashJobs.SUITES);
    for (String board : boards) {
      List<String> rows = new ArrayList<>();
      for (JsonNode row : get(port, "/api/leaderboard?board=" + board + "&limit=10000").path("rows")) {
        if (ours.contains(row.path("checkpointId").asText())) {
          rows.add(row.path("checkpointId").asText());
        }
      }
      assertThat(new HashSet<>(rows)).as("checkpoints on board " + board).isEqualTo(ours);
      repeated += rows.size() - ours.size();
    }
    return repeated;
  }

  private static JsonNode get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
