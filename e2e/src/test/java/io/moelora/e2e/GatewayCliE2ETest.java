package io.moelora.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.cli.MoeloraCli;
import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the packaged gateway (its own JVM, on a real broker): {@code jobs create},
 * {@code list} and {@code show} with and without the bearer token, {@code push --gateway} in chunks
 * with a refused item, and {@code follow} printing the board once and then live when a result
 * arrives. The CLI runs in-process with its own out and err writers.
 */
class GatewayCliE2ETest {

  private static final String TOKEN = "e2e-token";
  private static final String JOB = "cli-job";

  @TempDir
  Path dir;

  /** Exit code and output of one command. */
  record Cli(int code, String out, String err) {}

  @Test
  void jobsPushAndFollowThroughTheGateway() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = broker.admin()) {
        TopicProvisioner.ensure(admin, Topics.all());
      }
      int port = freePort();
      String url = "http://127.0.0.1:" + port;
      try (ServiceProcess gateway = ServiceProcess.start(Path.of(System.getProperty("moelora.gateway.jar")),
          "e2e-gateway", bootstrap, dir.resolve("state"),
          Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "MOELORA_GATEWAY_AUTH_TOKEN", TOKEN))) {
        ServiceChecks.awaitReady(gateway, url);

        // jobs create: writes need the token; a blank --token also hides any MOELORA_GATEWAY_TOKEN.
        Path spec = Files.writeString(dir.resolve("job.json"), "{\"jobId\":\"" + JOB + "\",\"baseModel\":\"builtin:tiny\","
            + "\"eval\":{\"suites\":[\"synthetic-choice\"],\"limit\":10,\"decoding\":\"greedy\"}}");
        Cli anonymous = cli("jobs", "create", "--gateway", url, "--token=", "--file", spec.toString());
        assertThat(anonymous.code()).as(anonymous.err()).isEqualTo(5);
        assertThat(anonymous.err()).contains("HTTP 401").contains("--token");
        Cli wrong = cli("jobs", "create", "--gateway", url, "--token", "not-" + TOKEN, "--file", spec.toString());
        assertThat(wrong.code()).as(wrong.err()).isEqualTo(5);
        assertThat(wrong.err()).contains("HTTP 403");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), "{\"jobId\":\"bad\",\"baseModel\":\"builtin:tiny\","
            + "\"adapter\":{\"rank\":0}}");
        Cli refused = cli("jobs", "create", "--gateway", url, "--token", TOKEN, "--file", invalid.toString());
        assertThat(refused.code()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("HTTP 400").contains("adapter.rank");
        Cli created = cli("jobs", "create", "--gateway", url, "--token", TOKEN, "--file", spec.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("\"jobId\" : \"" + JOB + "\"");
        assertThat(created.err()).contains("created job " + JOB);

        // jobs list and show: reads are open.
        Cli listed = cli("jobs", "list", "--gateway", url);
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).startsWith("JOB").contains(JOB).contains("submitted");
        assertThat(listed.out()).doesNotContain("bad");
        Cli shown = cli("jobs", "show", JOB, "--gateway", url);
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("\"baseModel\" : \"builtin:tiny\"").contains("\"synthetic-choice\"");
        Cli missing = cli("jobs", "show", "no-such-job", "--gateway", url);
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("HTTP 404").contains("no job no-such-job");

        // push --gateway: 5 items in chunks of 2; the fourth is refused by the gateway.
        Path data = Files.writeString(dir.resolve("train.jsonl"), String.join("\n",
            "{\"instruction\":\"Add 1 and 2.\",\"input\":\"\",\"output\":\"3\"}",
            "{\"instruction\":\"Add 2 and 2.\",\"output\":\"4\",\"task\":\"math\"}",
            "{\"instruction\":\"Add 3 and 2.\",\"output\":\"5\"}",
            "{\"instruction\":\"\",\"output\":\"x\"}",
            "{\"instruction\":\"Add 5 and 2.\",\"output\":\"7\",\"exampleId\":\"mine-1\"}") + "\n");
        Cli pushed = cli("push", "--gateway", url, "--token", TOKEN, "--job", JOB, "--file", data.toString(), "--chunk", "2");
        assertThat(pushed.code()).as(pushed.err()).isEqualTo(3);
        assertThat(pushed.out()).contains("\"sent\":4").contains("\"rejected\":1");
        assertThat(pushed.err()).contains("item 3 rejected: instruction").contains("examples 5/5");
        assertThat(exampleIds(bootstrap, 4)).containsExactlyInAnyOrder("train.jsonl-0", "train.jsonl-1", "train.jsonl-2",
            "mine-1");
        Cli pushDenied = cli("push", "--gateway", url, "--token", "not-" + TOKEN, "--job", JOB, "--file", data.toString());
        assertThat(pushDenied.code()).isEqualTo(5);

        // follow: the empty board once, then live until the first result changes it.
        Cli empty = cli("follow", "--gateway", url, "--once");
        assertThat(empty.code()).as(empty.err()).isZero();
        assertThat(empty.out()).contains("board overall").contains("no scored checkpoints");
        StringWriter liveOut = new StringWriter();
        StringWriter liveErr = new StringWriter();
        CompletableFuture<Integer> live = CompletableFuture.supplyAsync(() -> MoeloraCli.commandLine()
            .setOut(writer(liveOut)).setErr(writer(liveErr))
            .execute("follow", "--gateway", url, "--updates", "1", "--timeout", "40"));
        await().atMost(Duration.ofSeconds(20)).until(() -> liveOut.toString().contains("no scored checkpoints"));

        String checkpoint = "c".repeat(64);
        TestKafkaClients.send(bootstrap, Topics.CHECKPOINTS, JOB, EventCodec.toJson(new CheckpointPublished(1, JOB,
            checkpoint, 12, 48, "file:///store/" + JOB + "/" + checkpoint, checkpoint, AdapterType.MOELORA, 1000,
            Map.of(), Instant.now())));
        TestKafkaClients.send(bootstrap, Topics.EVAL_RESULTS, JOB, EventCodec.toJson(new EvalResult(1, JOB, checkpoint,
            "synthetic-choice", "1", 10, 4, EvalResult.accuracyOf(4, 10), "choice", Decoding.GREEDY, "llm-adapters-1",
            100)));
        assertThat(live.get(45, TimeUnit.SECONDS)).as(liveErr.toString()).isZero();
        assertThat(liveOut.toString()).contains("synthetic-choice")
            .containsPattern("1  " + JOB + " +12 +48  moelora +40.00 +40.00");

        Cli board = cli("follow", "--gateway", url, "--once", "--board", "synthetic-choice");
        assertThat(board.code()).as(board.err()).isZero();
        assertThat(board.out()).contains("board synthetic-choice (1 of 1 rows)").contains(JOB);
        gateway.stop();
      }
    }
  }

  // Buffered and never flushed here, as the real System.out is by the time main exits: a command that
  // prints without flushing shows nothing.
  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MoeloraCli.commandLine().setOut(writer(out)).setErr(writer(err)).execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  private static PrintWriter writer(StringWriter target) {
    return new PrintWriter(new BufferedWriter(target), true);
  }

  private static List<String> exampleIds(String bootstrap, int expected) {
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, String> c = TestKafkaClients.readFromBeginning(bootstrap, Topics.TRAINING_EXAMPLES)) {
      long deadline = System.currentTimeMillis() + 20_000;
      while (ids.size() < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          assertThat(r.key()).isEqualTo(JOB);
          ids.add(EventCodec.fromJson(r.value(), TrainingExample.class).exampleId());
        }
      }
    }
    return ids;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
