package io.moelora.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.cli.MoeloraCli;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment run --mode pipeline} against a real stack (a broker and the packaged trainer, eval
 * service and gateway, each its own JVM): two recipes on the built-in tiny model, one seed, 4 updates with a
 * checkpoint every 2. Every job is fed exactly the same examples in the same order (read back from the
 * examples topic), every checkpoint at steps 0, 2 and 4 is scored, and the report has every section,
 * including the routing analysis of the final checkpoint read from the stack's checkpoint directory.
 */
class ExperimentPipelineE2ETest {

  private static final String TOKEN = "e2e-token";
  private static final List<String> RECIPES = List.of("lora-r8", "moelora-4x2-top2");
  private static final int STEPS = 4;

  @TempDir
  Path dir;

  @Test
  void recipesTrainOnTheStackAndTheReportIsComplete() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = broker.admin()) {
        TopicProvisioner.ensure(admin, Topics.all());
      }
      Path state = dir.resolve("state");
      int port = freePort();
      String url = "http://127.0.0.1:" + port;
      // Metrics for every update, so the loss curve has a point per step as in-process runs do.
      try (ServiceProcess trainer = ServiceProcess.start(jar("moelora.trainer.jar"), "pipeline-trainer", bootstrap, state,
              Map.of("MOELORA_TRAINER_METRICS_EVERY", "1"));
          ServiceProcess eval = ServiceProcess.start(jar("moelora.eval.jar"), "pipeline-eval", bootstrap, state, Map.of());
          ServiceProcess gateway = ServiceProcess.start(jar("moelora.gateway.jar"), "pipeline-gateway", bootstrap, state,
              Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "MOELORA_GATEWAY_AUTH_TOKEN", TOKEN))) {
        ServiceChecks.awaitReady(gateway, url);

        Path out = dir.resolve("cmp");
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        int code = MoeloraCli.commandLine().setOut(writer(stdout)).setErr(writer(err)).execute("experiment", "run",
            "--mode", "pipeline", "--gateway", url, "--token", TOKEN, "--name", "e2e",
            "--recipes", String.join(",", RECIPES), "--recipes-dir", "../recipes", "--model", "builtin:tiny",
            "--train", "synthetic", "--suites", "synthetic-choice,synthetic-addsub", "--seeds", "1",
            "--steps", String.valueOf(STEPS), "--eval-every", "2", "--limit", "4", "--probe-items", "6",
            "--checkpoints", state.resolve("checkpoints").toString(), "--timeout", "150", "--out", out.toString());
        assertThat(code).as("stderr:\n%s\ntrainer log:\n%s", err, ServiceChecks.log(trainer)).isZero();
        assertThat(err.toString()).contains("mode: pipeline").contains("pushed examples 1..1 of 32")
            .contains("[moelora-4x2-top2 seed 1] step 4: ").contains("completed: 32 examples");
        assertThat(stdout.toString().strip()).isEqualTo(out.resolve("report.md").toString());

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(results.get("setup").get("mode").asText()).isEqualTo("pipeline");
        int batch = results.get("setup").get("batch").asInt();
        JsonNode runs = results.get("runs");
        assertThat(runs).extracting(r -> r.get("recipe").asText()).containsExactlyElementsOf(RECIPES);
        List<String> ids = texts(runs.get(0).get("exampleIds"));
        assertThat(ids).hasSize(STEPS * batch).doesNotHaveDuplicates();
        for (JsonNode run : runs) {
          assertThat(texts(run.get("exampleIds"))).isEqualTo(ids);
          assertThat(run.get("evals")).extracting(e -> e.get("step").asInt()).containsExactly(0, 2, 4);
          run.get("evals").forEach(e -> assertThat(e.get("accuracy").size()).isEqualTo(2));
          assertThat(run.get("steps")).extracting(s -> s.get("step").asInt()).containsExactly(1, 2, 3, 4);
          assertThat(run.get("evalSeconds").asDouble()).isPositive();
          boolean routed = run.get("recipe").asText().startsWith("moelora");
          assertThat(run.get("routing").isEmpty()).as("routing of %s", run.get("recipe")).isEqualTo(!routed);
          for (JsonNode module : run.get("routing")) {
            module.get("top1").forEach(counts -> {
              long tokens = 0;
              for (JsonNode c : counts) {
                tokens += c.asLong();
              }
              assertThat(tokens).as("tokens counted in %s", module.get("module")).isPositive();
            });
          }
        }
        // Step 0 is the base model for every job: the same scores.
        assertThat(runs.get(1).get("evals").get(0).get("accuracy")).isEqualTo(runs.get(0).get("evals").get(0).get("accuracy"));

        // The fan-out: every example once per job, none refused, both jobs named in every reply.
        JsonNode fanOut = results.get("notes").get("pipeline").get("experiments").get("e2e-s1");
        assertThat(texts(fanOut.get("jobs"))).containsExactlyInAnyOrder("e2e-s1-lora-r8", "e2e-s1-moelora-4x2-top2");
        assertThat(fanOut.get("accepted").asInt()).isEqualTo(STEPS * batch);
        assertThat(fanOut.get("rejected").asInt()).isZero();
        assertThat(results.get("notes").get("routingUnavailable").isEmpty()).isTrue();

        // What each job's partition holds, in order, and what the trainer says it consumed.
        Map<String, List<String>> consumed = exampleIdsByJob(bootstrap, 2 * ids.size());
        assertThat(consumed).containsOnlyKeys("e2e-s1-lora-r8", "e2e-s1-moelora-4x2-top2");
        consumed.values().forEach(sequence -> assertThat(sequence).isEqualTo(ids));
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        for (String job : consumed.keySet()) {
          JsonNode view = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/jobs/" + job)).build(),
              HttpResponse.BodyHandlers.ofString()).body());
          assertThat(view.get("state").asText()).isEqualTo("completed");
          assertThat(view.get("examplesSeen").asLong()).isEqualTo(ids.size());
          assertThat(view.get("spec").get("seed").asLong()).isEqualTo(1);
        }

        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("| mode | pipeline: jobs on the stack behind the gateway at " + url);
        assertThat(report).contains("## Trainable parameters", "## Accuracy at the last step", "## Curves", "## Routing",
            "## Reading", "## Per-seed results");
        assertThat(report).containsPattern("\\| moelora-4x2-top2 \\| moelora 4×2 top-2, β 0.1, γ 0.01 \\| [0-9,]+ \\|");
        assertThat(report).containsPattern("\\| lora-r8 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
        assertThat(report).containsPattern("\\| 0\\.q_proj \\| synthetic-addsub \\| [0-9. ]+ \\| [0-9.]+ \\|");
        assertThat(report).doesNotContain("NaN").doesNotContain("not measured");
        // The command line is recorded without the gateway's token.
        assertThat(report).contains("--token '***'").doesNotContain(TOKEN);
        assertThat(Files.readString(out.resolve("results.json"))).doesNotContain(TOKEN);
        for (String png : List.of("loss.png", "accuracy.png", "gate-entropy.png", "routing-moelora-4x2-top2.png")) {
          assertThat(report).contains("(" + png + ")");
          assertThat(Files.readAllBytes(out.resolve(png))).startsWith(0x89, 'P', 'N', 'G');
        }
        gateway.stop();
        eval.stop();
        trainer.stop();
      }
    }
  }

  /** The training examples topic from the start: each job's example ids in partition order. */
  private static Map<String, List<String>> exampleIdsByJob(String bootstrap, int expected) {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    int read = 0;
    try (KafkaConsumer<String, String> c = TestKafkaClients.readFromBeginning(bootstrap, Topics.TRAINING_EXAMPLES)) {
      long deadline = System.currentTimeMillis() + 20_000;
      while (read < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          ids.computeIfAbsent(r.key(), k -> new ArrayList<>())
              .add(EventCodec.fromJson(r.value(), TrainingExample.class).exampleId());
          read++;
        }
      }
    }
    return ids;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static PrintWriter writer(StringWriter target) {
    return new PrintWriter(new BufferedWriter(target), true);
  }

  private static Path jar(String property) {
    return Path.of(System.getProperty(property));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
