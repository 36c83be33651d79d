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
import io.moelora.reliability.support.BadInputCase;
import io.moelora.reliability.support.BadInputCase.Outcome;
import io.moelora.reliability.support.BadInputVerdicts;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4: the bad-input corpus ({@code src/test/resources/bad-input/}, one file per case) against the
 * packaged trainer, eval-service and gateway on a real broker. Every case must reach its expected
 * outcome (the DLQ with its reason, a 4xx with a problem, a refusal), and afterwards a valid job must
 * still be trained and scored: no consumer stopped on the way.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class BadInputIT {

  private static final String SCENARIO = "4 bad input";
  private static final String TARGET = "bad-input-target";
  private static final String AFTER = "after-the-corpus";
  private static final Duration OUTCOME_WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private String gateway;

  @Test
  void everyCaseReachesItsOutcomeAndTheConsumersKeepConsuming() throws Exception {
    List<BadInputCase> cases = BadInputCase.all();
    var verdicts = new BadInputVerdicts();
    try (Stack stack = Stack.start(dir)) {
      int trainerPort = Stack.freePort();
      int evalPort = Stack.freePort();
      int gatewayPort = Stack.freePort();
      try (ServiceProcess trainer = stack.trainer("bad-input-trainer", Map.of("QUARKUS_HTTP_PORT", "" + trainerPort));
          ServiceProcess eval = stack.eval("bad-input-eval", Map.of("QUARKUS_HTTP_PORT", "" + evalPort));
          ServiceProcess gw = stack.gateway("bad-input-gateway", gatewayPort, Map.of());
          KafkaProducer<String, byte[]> producer = rawProducer(stack.bootstrap(), "none");
          KafkaProducer<String, byte[]> gzip = rawProducer(stack.bootstrap(), "gzip");
          TopicLog progress = new TopicLog(stack.bootstrap(), Topics.EVAL_PROGRESS)) {
        gateway = "http://127.0.0.1:" + gatewayPort;
        Stack.awaitReady(trainer, trainerPort, Duration.ofMinutes(2));
        Stack.awaitReady(eval, evalPort, Duration.ofMinutes(2));
        // A job the cases can name (@job@): known to every service, so they are judged on their own faults.
        HttpResponse<String> created = post("/api/jobs", "application/json", job(TARGET, 0).getBytes(), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, String> vars = Map.of("@job@", TARGET,
            "@store@", stripSlash(stack.state().resolve("checkpoints").toAbsolutePath().toUri().toString()));

        Map<BadInputCase, RecordMetadata> sent = new HashMap<>();
        for (BadInputCase c : cases) {
          Map<String, String> v = c.vars(vars);
          if (!c.kafka()) {
            judgeHttp(c, v, verdicts);
          } else if (c.outcome() == Outcome.EVAL_REFUSED) {
            // One at a time: checkpoints of a job that wait together are skipped for the newest.
            judgeRefusal(c, v, producer, progress, verdicts);
          } else {
            boolean compressed = c.descriptor().path("compression").asText("none").equals("gzip");
            RecordMetadata meta = sendOrJudge(c, v, compressed ? gzip : producer, verdicts);
            if (meta != null) {
              sent.put(c, meta);
            }
          }
        }
        judgeDeadLetters(stack.bootstrap(), sent, verdicts);

        Figures.record(SCENARIO, "cases in the corpus", verdicts.total(), "≥ 50");
        Figures.record(SCENARIO, "reached the DLQ with the reason", verdicts.reached(Outcome.DLQ), "report");
        Figures.record(SCENARIO, "4xx with a problem and the reason", verdicts.reached(Outcome.HTTP), "report");
        Figures.record(SCENARIO, "upload items refused in the reply (200, 0 accepted)",
            verdicts.reached(Outcome.HTTP_ITEM_REFUSED), "report");
        Figures.record(SCENARIO, "checkpoint refused by the evaluator (event)", verdicts.reached(Outcome.EVAL_REFUSED),
            "report");
        Figures.record(SCENARIO, "record refused by the broker (over the topic's size)",
            verdicts.reached(Outcome.REFUSED_BY_BROKER), "report");
        Figures.record(SCENARIO, "cases not at their expected outcome", verdicts.missed().size(), "0");

        boolean stillWorking = validJobTrainsAndIsScored(stack.bootstrap());
        Figures.record(SCENARIO, "valid job trained and scored after the corpus", stillWorking ? "yes" : "no", "yes");
        assertThat(trainer.alive() && eval.alive() && gw.alive()).as("every service still runs").isTrue();
        assertThat(verdicts.missed()).as("cases that did not reach their outcome").isEmpty();
        assertThat(verdicts.total()).isGreaterThanOrEqualTo(50);
        assertThat(stillWorking).isTrue();
      }
    }
  }

  // --- Kafka

  private static KafkaProducer<String, byte[]> rawProducer(String bootstrap, String compression) {
    // Raw bytes (invalid UTF-8 reaches the broker as it is), and a client limit above the broker's so
    // that for oversized records it is the topic's limit that decides. The broker checks the
    // compressed size: a gzip producer gets a 10 MB record of one letter through.
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024), new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends the record; a producer error is the outcome of refused-by-broker cases and a miss for others. */
  private static RecordMetadata sendOrJudge(BadInputCase c, Map<String, String> v,
      KafkaProducer<String, byte[]> producer, BadInputVerdicts verdicts) throws InterruptedException {
    try {
      RecordMetadata meta = producer.send(new ProducerRecord<>(c.topic(), c.key(v), c.payload(v)))
          .get(60, TimeUnit.SECONDS);
      if (c.outcome() == Outcome.REFUSED_BY_BROKER) {
        verdicts.missed(c, "the broker took it at offset " + meta.offset());
        return null;
      }
      return meta;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      if (c.outcome() == Outcome.REFUSED_BY_BROKER && error.contains(c.reason())) {
        verdicts.reached(c);
      } else {
        verdicts.missed(c, "the producer failed: " + error);
      }
      return null;
    }
  }

  /** Each sent record must come back on its topic's DLQ, pointing at its offset, with the reason. */
  private static void judgeDeadLetters(String bootstrap, Map<BadInputCase, RecordMetadata> sent,
      BadInputVerdicts verdicts) {
    Map<String, TopicLog> dlqs = new HashMap<>();
    try {
      Map<BadInputCase, String> seenReasons = new HashMap<>();
      var open = new ArrayList<>(sent.keySet());
      long deadline = System.nanoTime() + OUTCOME_WAIT.toNanos();
      for (BadInputCase c : open) {
        dlqs.computeIfAbsent(c.topic(), t -> new TopicLog(bootstrap, Topics.dlq(t)));
      }
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        Map<String, List<ConsumerRecord<String, String>>> read = new HashMap<>();
        dlqs.forEach((topic, log) -> read.put(topic, log.poll()));
        for (var it = open.iterator(); it.hasNext(); ) {
          BadInputCase c = it.next();
          RecordMetadata meta = sent.get(c);
          // Some records are dead-lettered twice (by the trainer and by the gateway, each once per group).
          for (ConsumerRecord<String, String> r : read.get(c.topic())) {
            if (pointsAt(r, meta)) {
              String reason = TestKafkaClients.header(r, "dead-letter-reason");
              seenReasons.put(c, reason);
              if (reason != null && reason.contains(c.reason())) {
                verdicts.reached(c);
                it.remove();
                break;
              }
            }
          }
        }
      }
      for (BadInputCase c : open) {
        verdicts.missed(c, seenReasons.containsKey(c) ? "dead-lettered with reason '" + seenReasons.get(c) + "'"
            : "no DLQ record within " + OUTCOME_WAIT + " for offset " + sent.get(c).offset());
      }
    } finally {
      dlqs.values().forEach(TopicLog::close);
    }
  }

  private static boolean pointsAt(ConsumerRecord<String, String> r, RecordMetadata meta) {
    return meta.topic().equals(TestKafkaClients.header(r, "dead-letter-topic"))
        && String.valueOf(meta.partition()).equals(TestKafkaClients.header(r, "dead-letter-partition"))
        && String.valueOf(meta.offset()).equals(TestKafkaClients.header(r, "dead-letter-offset"));
  }

  /** A checkpoint announcement the evaluator must refuse with an EvalProgress "refused" naming it. */
  private static void judgeRefusal(BadInputCase c, Map<String, String> v, KafkaProducer<String, byte[]> producer,
      TopicLog progress, BadInputVerdicts verdicts) throws Exception {
    String checkpointId = c.checkpointId(v);
    producer.send(new ProducerRecord<>(c.topic(), c.key(v), c.payload(v))).get(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + OUTCOME_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> r : progress.poll()) {
        EvalProgress p = EventCodec.fromJson(r.value(), EvalProgress.class);
        if (p.checkpointId().equals(checkpointId) && p.kind() != EvalProgress.Kind.REFUSED) {
          verdicts.missed(c, "the evaluator reported " + p.kind().name() + ": " + p.message());
          return;
        }
        if (p.checkpointId().equals(checkpointId)) {
          if (p.message().contains(c.reason())) {
            verdicts.reached(c);
          } else {
            verdicts.missed(c, "refused with '" + p.message() + "'");
          }
          return;
        }
      }
    }
    verdicts.missed(c, "no EvalProgress for " + checkpointId + " within " + OUTCOME_WAIT);
  }

  // --- HTTP

  private void judgeHttp(BadInputCase c, Map<String, String> v, BadInputVerdicts verdicts) throws Exception {
    HttpResponse<String> reply;
    try {
      reply = post(c.path(v), c.contentType(), c.payload(v), c.auth());
    } catch (IOException e) {
      verdicts.missed(c, "no reply: " + e);
      return;
    }
    int status = reply.statusCode();
    String body = reply.body();
    if (c.outcome() == Outcome.HTTP) {
      boolean problem = reply.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
      if (status == c.status() && problem && body.contains(c.reason())) {
        verdicts.reached(c);
      } else {
        verdicts.missed(c, "HTTP " + status + " " + abbreviate(body));
      }
      return;
    }
    // An upload: nothing accepted, every item refused, one of them with the reason.
    JsonNode report = status == 200 ? JSON.readTree(body) : null;
    boolean refused = report != null && report.path("accepted").asInt(-1) == 0 && report.path("rejected").asInt() > 0;
    boolean withReason = false;
    for (JsonNode reject : refused ? report.path("rejects") : JSON.createArrayNode()) {
      // A reject names the field apart from the rule: "field rule", as the problem details read.
      withReason |= (reject.path("field").asText() + " " + reject.path("reason").asText()).contains(c.reason());
    }
    if (withReason) {
      verdicts.reached(c);
    } else {
      verdicts.missed(c, "HTTP " + status + " " + abbreviate(body));
    }
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body, boolean auth)
      throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (auth) {
      request.header("Authorization", "Bearer " + Stack.TOKEN);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // --- after the corpus

  /** A valid job, its examples through the API: it must be checkpointed and that checkpoint scored. */
  private boolean validJobTrainsAndIsScored(String bootstrap) throws Exception {
    HttpResponse<String> created = post("/api/jobs", "application/json", job(AFTER, 8).getBytes(), true);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    var lines = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      lines.append("{\"instruction\":\"Add ").append(i).append(" and 1.\",\"output\":\"").append(i + 1)
          .append("\"}\n");
    }
    HttpResponse<String> pushed = post("/api/jobs/" + AFTER + "/examples?idPrefix=after", "application/x-ndjson",
        lines.toString().getBytes(), true);
    assertThat(pushed.body()).contains("\"accepted\":8");
    try (TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS);
        TopicLog results = new TopicLog(bootstrap, Topics.EVAL_RESULTS)) {
      ConsumerRecord<String, String> trained = checkpoints.awaitFirst(Duration.ofMinutes(4), r -> AFTER.equals(r.key())
          && EventCodec.fromJson(r.value(), CheckpointPublished.class).examplesSeen() == 8);
      String checkpointId = EventCodec.fromJson(trained.value(), CheckpointPublished.class).checkpointId();
      results.awaitFirst(Duration.ofMinutes(4), r -> AFTER.equals(r.key())
          && EventCodec.fromJson(r.value(), EvalResult.class).checkpointId().equals(checkpointId));
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** A small job on the built-in model, scored greedily on a few items; {@code max} 0 = continuous. */
  private static String job(String jobId, int max) {
    return "{\"jobId\":\"" + jobId + "\",\"baseModel\":\"builtin:tiny\","
        + "\"adapter\":{\"type\":\"moelora\",\"rank\":2,\"alpha\":8,\"experts\":2,\"topK\":1},"
        + "\"optimizer\":{\"lr\":0.001,\"warmupSteps\":0},\"batching\":{\"microBatch\":4,\"accumulation\":1,\"cutoff\":64},"
        + "\"checkpoint\":{\"everyExamples\":8,\"everySeconds\":0},"
        + "\"eval\":{\"suites\":[\"synthetic-choice\"],\"limit\":4,\"decoding\":\"greedy\"},\"maxExamples\":" + max + "}";
  }

  private static String stripSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 297) + "...";
  }
}
