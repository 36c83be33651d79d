package io.moelora.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.events.Topics;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack without a container engine: the topic script against a real broker, the DJL cache
 * unpacked as the image build does and then made read-only, the packaged services started through the
 * images' entry point with the environment of their Dockerfile and docker-compose.yml (host names and
 * paths mapped to this machine), and the demo script run against them until the demo job's base-model
 * checkpoint is scored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStartupTest {

  private static final String VOLUME = "/var/lib/moelora";
  private static final Duration START = Duration.ofMinutes(3);

  @TempDir
  static Path tmp;

  private static LocalKafkaBroker broker;
  private static final Map<String, Integer> ports = new HashMap<>();
  private static final List<Process> services = new ArrayList<>();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static Map<String, String> cacheBefore;

  @BeforeAll
  static void broker() throws IOException {
    broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(tmp.resolve("kafka")));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (Process service : services) {
      service.destroy();
    }
    for (Process service : services) {
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  void the_topic_script_creates_every_topic_as_the_code_declares_it_and_is_idempotent() throws Exception {
    Path kafkaTopics = script("kafka-topics", List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.TopicCommand"));
    for (int run = 0; run < 2; run++) {
      var result = run(List.of("bash", Repo.file("deploy/compose/create-topics.sh").toString()),
          Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "KAFKA_TOPICS", kafkaTopics.toString()));
      assertThat(result.code()).as(result.output()).isZero();
      assertThat(result.output()).contains("topics ready");
    }
    try (Admin admin = broker.admin()) {
      var names = admin.listTopics().names().get();
      var described = admin.describeTopics(names).allTopicNames().get();
      var resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
      var actual = new TreeMap<String, ExpectedTopics.Topic>();
      for (String name : names) {
        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
        var retention = config.get("retention.ms");
        actual.put(name, new ExpectedTopics.Topic(described.get(name).partitions().size(),
            config.get("cleanup.policy").value(), retention.isDefault() ? null : retention.value()));
      }
      assertThat(actual).isEqualTo(ExpectedTopics.all());
    }
  }

  @Test
  @Order(2)
  void the_image_build_step_fills_the_djl_cache_once() throws Exception {
    Path cache = tmp.resolve("djl-cache");
    // As the Dockerfiles' RUN: the service's own libraries, the cache directory from ENV.
    Path app = Repo.quarkusApp("trainer-service");
    var result = run(List.of(java(), "-cp", app.resolve("lib/boot") + "/*:" + app.resolve("lib/main") + "/*",
        "io.moelora.core.runtime.NativeCacheWarmup"), Map.of("DJL_CACHE_DIR", cache.toString()));
    assertThat(result.code()).as(result.output()).isZero();
    assertThat(result.output()).contains("ready: PyTorch");
    run(List.of("chmod", "-R", "a-w", cache.toString()), Map.of());
    cacheBefore = snapshot(cache);
    assertThat(cacheBefore.keySet()).anyMatch(f -> f.endsWith("libtorch_cpu.so")).anyMatch(f -> f.endsWith("libtokenizers.so"));
  }

  @Test
  @Order(3)
  void services_start_from_the_entry_point_with_the_compose_settings_and_the_read_only_cache() throws Exception {
    var compose = new Compose();
    // The base model the compose stack's tiny-base step builds; a short pre-training suffices here.
    var base = run(cli(compose.command("tiny-base"), "--steps", "2"), Map.of());
    assertThat(base.code()).as(base.output()).isZero();
    assertThat(tmp.resolve("volume/models/tiny/model.safetensors")).exists();

    for (String module : Repo.SERVICES) {
      var env = new HashMap<>(Dockerfile.read(module + "/src/main/docker/Dockerfile.jvm").finalStage().env());
      env.putAll(compose.env(module));
      env.replaceAll((k, v) -> v.replace(VOLUME, tmp.resolve("volume").toString()));
      int port = freePort();
      ports.put(module, port);
      env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
      env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
      env.put("JAVA_APP_JAR", Repo.quarkusApp(module).resolve("quarkus-run.jar").toString());
      env.put("DJL_CACHE_DIR", tmp.resolve("djl-cache").toString());
      env.put("PATH", Path.of(java()).getParent() + ":" + System.getenv("PATH"));
      Path log = Files.createDirectories(Path.of("target", "process-logs")).resolve(module + ".log");
      var builder = new ProcessBuilder("sh", Repo.file("deploy/docker/run-java.sh").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      services.add(builder.start());
    }
    for (String module : Repo.SERVICES) {
      for (String check : List.of("started", "live", "ready")) {
        await(module + " " + check).atMost(START).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> get(module, "/q/health/" + check).statusCode() == 200);
      }
    }
  }

  @Test
  @Order(4)
  void the_demo_script_submits_the_demo_job_pushes_its_data_once_and_its_base_checkpoint_is_scored() throws Exception {
    Path marker = tmp.resolve("volume/demo-data-pushed");
    Map<String, String> env = Map.of("MOELORA_CLI", script("moelora", cli(List.of())).toString(),
        "MOELORA_DEMO_JOB", Repo.file("demo/demo-job.json").toString(), "MOELORA_DEMO_MARKER", marker.toString(),
        "MOELORA_DEMO_EXAMPLES", "4", "MOELORA_DEMO_FOLLOW", "false", "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    for (int run = 0; run < 2; run++) {
      var demo = run(List.of("sh", Repo.file("deploy/compose/demo.sh").toString()), env);
      assertThat(demo.code()).as(demo.output()).isZero();
      assertThat(marker).exists();
    }
    assertThat(countRecords(Topics.TRAINING_EXAMPLES)).as("pushed once: 4 examples per task, 2 tasks").isEqualTo(8);
    await("the gateway knows the demo job").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> get("gateway", "/api/jobs/demo").statusCode() == 200);
    // The trainer publishes the base model's checkpoint (step 0) and the evaluator scores it.
    await("a score for the demo job").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
        .until(() -> countRecords(Topics.EVAL_RESULTS) > 0);
    assertThat(snapshot(tmp.resolve("djl-cache"))).as("the read-only DJL cache is used as it is").isEqualTo(cacheBefore);
  }

  // --- helpers --------------------------------------------------------------------------------------

  private record Result(int code, String output) {}

  private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }

  /** The CLI as the cli image runs it (its jar and lib/), with these arguments; paths of the volume mapped here. */
  private static List<String> cli(List<String> args, String... more) throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Repo.file("cli/target"))) {
      jar = files.filter(f -> f.getFileName().toString().matches("moelora-cli-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("package the cli module first"));
    }
    var command = new ArrayList<>(List.of(java(), "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-jar", jar.toString()));
    args.forEach(a -> command.add(a.replace(VOLUME, tmp.resolve("volume").toString())));
    command.addAll(List.of(more));
    return command;
  }

  private static Path script(String name, List<String> command) throws IOException {
    var quoted = new StringBuilder("#!/bin/sh\nexec");
    command.forEach(part -> quoted.append(" '").append(part.replace("'", "'\\''")).append('\''));
    Path file = tmp.resolve(name);
    Files.writeString(file, quoted.append(" \"$@\"\n").toString());
    file.toFile().setExecutable(true);
    return file;
  }

  private static HttpResponse<String> get(String module, String path) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(module) + path))
        .timeout(Duration.ofSeconds(5)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int countRecords(String topic) {
    try (var consumer = TestKafkaClients.readFromBeginning(broker.bootstrapServers(), topic)) {
      int count = 0;
      for (int idle = 0; idle < 3; ) {
        int polled = consumer.poll(Duration.ofSeconds(1)).count();
        count += polled;
        idle = polled == 0 ? idle + 1 : 0;
      }
      return count;
    }
  }

  private static Map<String, String> snapshot(Path dir) throws IOException {
    var files = new TreeMap<String, String>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(file).toString(), Files.size(file) + "@" + Files.getLastModifiedTime(file));
      }
    }
    return files;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
