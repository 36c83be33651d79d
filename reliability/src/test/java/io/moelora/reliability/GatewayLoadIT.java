package io.moelora.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.EventSchema;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TopicLog;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.IngestBurst;
import io.moelora.reliability.support.LeaderboardListeners;
import io.moelora.reliability.support.Stack;
import io.moelora.reliability.support.UnauthorizedWrites;
import io.moelora.reliability.support.UnauthorizedWrites.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7: the packaged gateway under load. For 60 s, 1,000 clients hold the leaderboard event
 * stream while a board changes twice a second; every client must receive every change, and the
 * delivery latency (producer send to client receipt) is reported. Meanwhile 100,000 examples are
 * pushed through the REST ingest endpoint in concurrent uploads and counted on the topic (none lost,
 * none twice), and a background loop calls every write endpoint without valid credentials, which
 * must be refused every time and change nothing.
 */
class GatewayLoadIT {

  private static final String SCENARIO = "7 gateway under load";
  private static final int CLIENTS = 1000;
  private static final Duration PHASE = Duration.ofSeconds(60);
  private static final Duration UPDATE_EVERY = Duration.ofMillis(500);
  private static final int UPDATES = (int) (PHASE.toMillis() / UPDATE_EVERY.toMillis());
  /** When the ingest burst starts, into the streaming phase: both loads overlap. */
  private static final Duration BURST_AT = Duration.ofSeconds(10);
  private static final int UPLOADS = 10;
  private static final int PER_UPLOAD = 10_000;
  private static final int PARALLEL_UPLOADS = 4;
  private static final String BOARD_JOB = "load-board";
  private static final String INGEST_JOB = "load-ingest";
  private static final String INTRUDER = "intruder";
  /** A suite of no group: each result changes two boards, overall and its own. */
  private static final String PROBE_SUITE = "load-probe";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void thousandStreamsIngestBurstAndUnauthorizedWrites() throws Exception {
    try (Stack stack = Stack.start(dir)) {
      int port = Stack.freePort();
      String base = "http://127.0.0.1:" + port;
      // The test's clients all come from one address: lift the per-address cap along with the total.
      // Five rows per published board keep the fan-out about the streams, not about JSON size.
      Map<String, String> env = Map.of("MOELORA_GATEWAY_SSE_MAX_CONNECTIONS", "2000",
          "MOELORA_GATEWAY_SSE_MAX_CONNECTIONS_PER_CLIENT", "2000",
          "MOELORA_GATEWAY_LEADERBOARD_PUBLISH_ROWS", "5");
      try (ServiceProcess gateway = stack.gateway("load-gateway", port, env);
          KafkaProducer<String, String> producer = producer(stack.bootstrap())) {
        createJob(base, INGEST_JOB);
        // The probe checkpoints exist before any client connects; a checkpoint without results is on
        // no board, so each probe's result later is one board change a client can recognise.
        for (int i = 0; i <= UPDATES; i++) {
          producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, BOARD_JOB, EventCodec.toJson(probe(i)))).get();
        }

        long[] sentAt = new long[UPDATES + 1];
        IngestBurst.Outcome burst;
        List<LeaderboardListeners.Listener> listeners;
        int open;
        try (UnauthorizedWrites intruders = new UnauthorizedWrites(base, INGEST_JOB, INTRUDER).start();
            LeaderboardListeners clients = LeaderboardListeners.open(base, CLIENTS, 100)) {
          listeners = clients.listeners();
          // Warm-up: every stream sees probe 0 before the measured phase, so all are subscribed.
          send(producer, 0);
          awaitSeenByAll(clients, 0, Duration.ofSeconds(60));
          assertThat(clients.missing(probeId(0))).as("streams that missed the warm-up update").isZero();

          long phaseStart = System.nanoTime();
          CompletableFuture<IngestBurst.Outcome> ingest = CompletableFuture.supplyAsync(() -> {
            try {
              Thread.sleep(BURST_AT.toMillis());
              return IngestBurst.send(base, Stack.TOKEN, INGEST_JOB, UPLOADS, PER_UPLOAD, PARALLEL_UPLOADS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          for (int i = 1; i <= UPDATES; i++) {
            sleepUntil(phaseStart + (i - 1) * UPDATE_EVERY.toNanos());
            sentAt[i] = System.nanoTime();
            send(producer, i);
          }
          sleepUntil(phaseStart + PHASE.toNanos());
          burst = ingest.get(3, TimeUnit.MINUTES);
          awaitSeenByAll(clients, UPDATES, Duration.ofSeconds(30));
          open = (int) listeners.stream().filter(l -> !l.ended()).count();

          intruders.close();
          recordIntruders(intruders);
        }

        recordDeliveries(listeners, sentAt, open);
        recordBoardEvents(stack.bootstrap(), listeners);
        recordIngest(stack.bootstrap(), burst);
        assertNothingWrittenByIntruders(stack.bootstrap());
        assertThat(gateway.alive()).as("the gateway survived the load").isTrue();
      }
    }
  }

  private static void recordDeliveries(List<LeaderboardListeners.Listener> listeners, long[] sentAt, int open) {
    List<Long> latencies = new ArrayList<>();
    long missed = 0;
    for (LeaderboardListeners.Listener l : listeners) {
      for (int i = 1; i <= UPDATES; i++) {
        Long seen = l.firstSeen(probeId(i));
        if (seen == null) {
          missed++;
        } else {
          latencies.add(seen - sentAt[i]);
        }
      }
    }
    Collections.sort(latencies);
    long expected = (long) listeners.size() * UPDATES;
    Figures.record(SCENARIO, "SSE clients held for " + PHASE.toSeconds() + " s (open at the end)", open,
        "= " + CLIENTS);
    Figures.record(SCENARIO, "leaderboard updates sent", UPDATES, "report");
    Figures.record(SCENARIO, "deliveries expected (clients x updates)", expected, "report");
    Figures.record(SCENARIO, "deliveries received", latencies.size(), "= " + expected);
    Figures.record(SCENARIO, "deliveries missed", missed, "0");
    if (!latencies.isEmpty()) {
      Figures.record(SCENARIO, "delivery latency min (ms)", ms(latencies.get(0)), "report");
      Figures.record(SCENARIO, "delivery latency median (ms)", ms(percentile(latencies, 50)), "report");
      Figures.record(SCENARIO, "delivery latency p99 (ms)", ms(percentile(latencies, 99)), "report");
      Figures.record(SCENARIO, "delivery latency max (ms)", ms(latencies.get(latencies.size() - 1)), "report");
    }
    assertThat(listeners).as("streams opened").hasSize(CLIENTS);
    assertThat(open).as("streams still open after the phase").isEqualTo(CLIENTS);
    assertThat(missed).as("updates some client never received").isZero();
    assertThat(listeners).allSatisfy(l -> assertThat(l.failure()).as("stream error").isNull());
  }

  /**
   * Every state of the overall board the gateway published, counted on the leaderboard topic, must
   * have reached every client (the boards had no rows when the clients connected, so the stream's
   * opening snapshot was empty): not only the probes, every intermediate board too.
   */
  private static void recordBoardEvents(String bootstrap, List<LeaderboardListeners.Listener> listeners)
      throws InterruptedException {
    long published;
    try (TopicLog boards = new TopicLog(bootstrap, Topics.LEADERBOARD)) {
      Thread.sleep(500);
      published = boards.byKey("overall").size();
    }
    long differing = listeners.stream().filter(l -> l.boardEvents() != published).count();
    Figures.record(SCENARIO, "overall-board states published (leaderboard topic)", published, "report");
    Figures.record(SCENARIO, "clients whose board events differ from the topic", differing, "0");
    assertThat(differing).as("clients that did not get exactly the published board states").isZero();
  }

  private static void recordIngest(String bootstrap, IngestBurst.Outcome burst) throws Exception {
    int sent = UPLOADS * PER_UPLOAD;
    List<String> onTopic = IngestBurst.exampleIdsOnTopic(bootstrap, INGEST_JOB, Duration.ofMinutes(1));
    Set<String> distinct = new HashSet<>(onTopic);
    Set<String> lost = new HashSet<>(IngestBurst.ids(UPLOADS, PER_UPLOAD));
    lost.removeAll(distinct);
    Set<String> unexpected = new HashSet<>(distinct);
    unexpected.removeAll(new HashSet<>(IngestBurst.ids(UPLOADS, PER_UPLOAD)));
    double seconds = burst.took().toNanos() / 1e9;
    Figures.record(SCENARIO, "ingest examples sent (" + UPLOADS + " uploads, " + PARALLEL_UPLOADS + " at a time)",
        sent, "report");
    Figures.record(SCENARIO, "ingest examples accepted (REST replies)", burst.accepted(), "= " + sent);
    Figures.record(SCENARIO, "ingest examples on topic", onTopic.size(), "= " + sent);
    Figures.record(SCENARIO, "ingest examples lost", lost.size(), "0");
    Figures.record(SCENARIO, "ingest examples duplicated", onTopic.size() - distinct.size(), "0");
    Figures.record(SCENARIO, "ingest rate (examples/s, during the SSE phase)", Math.round(sent / seconds), "report");
    assertThat(burst.failures()).as("uploads not answered 200").isEmpty();
    assertThat(burst.accepted()).isEqualTo(sent);
    assertThat(burst.rejected()).isZero();
    assertThat(lost).as("examples missing on the topic").isEmpty();
    assertThat(unexpected).as("examples on the topic that were not sent").isEmpty();
    assertThat(onTopic).as("examples on the topic").hasSize(sent);
  }

  private static void recordIntruders(UnauthorizedWrites intruders) {
    int without = 0;
    int withoutWrong = 0;
    for (Credential c : List.of(Credential.NONE, Credential.BASIC, Credential.EMPTY_BEARER)) {
      without += intruders.attempts(c);
      withoutWrong += intruders.unexpected(c);
    }
    Figures.record(SCENARIO, "writes without a token (no header, Basic, empty Bearer)", without, "report");
    Figures.record(SCENARIO, "writes without a token answered other than 401", withoutWrong, "0");
    Figures.record(SCENARIO, "writes with a wrong token", intruders.attempts(Credential.WRONG_TOKEN), "report");
    Figures.record(SCENARIO, "writes with a wrong token answered other than 403",
        intruders.unexpected(Credential.WRONG_TOKEN), "0");
    assertThat(intruders.firstUnexpected()).as("unexpected answers to unauthorized writes").isEmpty();
    assertThat(without).as("unauthorized writes tried").isGreaterThan(100);
  }

  // Refused means refused: no job created, no spec changed (pause, resume, complete), no example.
  private static void assertNothingWrittenByIntruders(String bootstrap) throws Exception {
    long intruderJobs;
    long ingestSpecs;
    try (TopicLog jobs = new TopicLog(bootstrap, Topics.JOBS)) {
      Thread.sleep(500);
      intruderJobs = jobs.byKey(INTRUDER).size();
      ingestSpecs = jobs.byKey(INGEST_JOB).size();
    }
    long intruderExamples = IngestBurst.exampleIdsOnTopic(bootstrap, INGEST_JOB, Duration.ofMinutes(1)).stream()
        .filter(id -> id.startsWith(INTRUDER)).count();
    Figures.record(SCENARIO, "unauthorized writes that took effect", intruderJobs + (ingestSpecs - 1)
        + intruderExamples, "0");
    assertThat(intruderJobs).as("jobs created without a token").isZero();
    assertThat(ingestSpecs).as("specs of the ingest job (created once, never changed)").isEqualTo(1);
    assertThat(intruderExamples).as("examples pushed without a token").isZero();
  }

  private static void awaitSeenByAll(LeaderboardListeners clients, int update, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (clients.missing(probeId(update)) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static void createJob(String base, String jobId) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + "/api/jobs")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + Stack.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"schemaVersion\":1,\"jobId\":\"" + jobId + "\",\"baseModel\":\"builtin:tiny\"}")).build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private static CheckpointPublished probe(int i) {
    return new CheckpointPublished(EventSchema.CURRENT, BOARD_JOB, probeId(i), i, i, "file:///probes/" + probeId(i),
        String.format("%064x", i), AdapterType.LORA, 1000, Map.of(), Instant.now());
  }

  // Each probe scores higher than the last, so it tops the board the moment its result is read.
  private static void send(KafkaProducer<String, String> producer, int i) {
    EvalResult result = new EvalResult(EventSchema.CURRENT, BOARD_JOB, probeId(i), PROBE_SUITE, "1", 1000, i,
        EvalResult.accuracyOf(i, 1000), "numeric", Decoding.GREEDY, "llm-adapters-1", 0);
    producer.send(new ProducerRecord<>(Topics.EVAL_RESULTS, BOARD_JOB, EventCodec.toJson(result)));
  }

  private static String probeId(int i) {
    return "probe-" + i;
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
        new StringSerializer());
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static String ms(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }
}
