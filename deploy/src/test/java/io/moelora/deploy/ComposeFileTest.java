package io.moelora.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** docker-compose.yml against the code: images, environment, volumes, start order and topics. */
class ComposeFileTest {

  private static final String VOLUME = "/var/lib/moelora";
  private final Compose compose = new Compose();

  @Test
  void docker_compose_accepts_the_file() throws Exception {
    Tools.requireDockerCompose();
    var process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
        .directory(Repo.root().toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("docker-compose config: %s", output).isZero();
  }

  @Test
  void every_variable_a_service_gets_is_one_it_reads_and_what_it_needs_is_set() {
    for (String module : Repo.SERVICES) {
      ServiceConfig config = ServiceConfig.of(module);
      Map<String, String> env = effectiveEnv(module);
      for (String name : compose.env(module).keySet()) {
        assertThat(config.reads(name) || ServiceConfig.runtimeEnv().contains(name))
            .as("%s sets %s in docker-compose.yml, but %s reads no such setting", module, name, module).isTrue();
      }
      for (String property : config.required()) {
        assertThat(env).as("%s needs %s", module, property).containsKey(ServiceConfig.envName(property));
      }
      assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    }
    // The broker advertises what the services dial.
    assertThat(compose.env("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
    assertThat(compose.env("gateway")).containsKey("MOELORA_GATEWAY_AUTH_TOKEN");
  }

  @Test
  void checkpoints_and_models_live_on_the_volume_the_trainer_and_evaluator_share() {
    for (String module : List.of("trainer-service", "eval-service")) {
      Map<String, String> env = effectiveEnv(module);
      assertThat(compose.mounts(module)).containsEntry(VOLUME, "moelora-data");
      assertThat(env.get("MOELORA_CHECKPOINT_DIR")).startsWith(VOLUME + "/");
      assertThat(env.get("MOELORA_MODEL_DIR")).isEqualTo(VOLUME + "/models");
    }
    // The base model jobs call "tiny" is built into that model directory before the services start.
    assertThat(compose.command("tiny-base")).containsExactly("base", "--out", VOLUME + "/models/tiny");
    assertThat(compose.mounts("tiny-base")).containsEntry(VOLUME, "moelora-data");
    assertThat(Repo.read("demo/demo-job.json")).contains("\"baseModel\": \"tiny\"");
    assertThat(compose.volumes()).containsKeys("moelora-data", "kafka-data");
  }

  @Test
  void images_are_built_from_the_module_dockerfiles_with_one_tag() {
    for (String module : Repo.SERVICES) {
      var service = compose.service(module);
      assertThat(service.get("image")).isEqualTo("moelora/" + module + ":" + Repo.imageTag());
      String dockerfile = Yamls.text(service, "build", "dockerfile");
      assertThat(dockerfile).isEqualTo(module + "/src/main/docker/Dockerfile.jvm");
      assertThat(Yamls.text(service, "build", "context")).isEqualTo(".");
    }
    assertThat(compose.service("tiny-base").get("image")).isEqualTo("moelora/cli:" + Repo.imageTag());
    assertThat(Yamls.text(compose.service("tiny-base"), "build", "dockerfile")).isEqualTo("cli/src/main/docker/Dockerfile");
    assertThat(compose.service("demo").get("image")).isEqualTo("moelora/cli:" + Repo.imageTag());
    for (String name : compose.services().keySet()) {
      for (String source : compose.mounts(name).values()) {
        if (source.startsWith("./")) {
          assertThat(Files.exists(Repo.file(source))).as("%s mounts %s", name, source).isTrue();
        }
      }
    }
  }

  @Test
  void kafka_is_the_official_image_of_the_clients_version_in_kraft_mode() {
    String image = String.valueOf(compose.service("kafka").get("image"));
    assertThat(image).isEqualTo("apache/kafka:" + Repo.kafkaVersion());
    assertThat(compose.service("kafka-topics").get("image")).isEqualTo(image);
    Map<String, String> env = compose.env("kafka");
    assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
        .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    Uuid.fromString(env.get("CLUSTER_ID")); // formatting the storage refuses anything else
    assertThat(compose.mounts("kafka")).containsEntry(env.get("KAFKA_LOG_DIRS"), "kafka-data");
  }

  @Test
  void services_start_after_their_topics_and_base_model_and_the_demo_after_healthy_services() {
    assertThat(dependsOn("kafka-topics")).containsEntry("kafka", "service_healthy");
    assertThat(dependsOn("trainer-service")).containsEntry("kafka-topics", "service_completed_successfully")
        .containsEntry("tiny-base", "service_completed_successfully");
    assertThat(dependsOn("eval-service")).containsEntry("kafka-topics", "service_completed_successfully")
        .containsEntry("tiny-base", "service_completed_successfully");
    assertThat(dependsOn("gateway")).containsEntry("kafka-topics", "service_completed_successfully");
    assertThat(dependsOn("demo")).containsEntry("trainer-service", "service_healthy")
        .containsEntry("eval-service", "service_healthy").containsEntry("gateway", "service_healthy");
    // service_healthy needs a health check: in the file (kafka) or in the image.
    assertThat(compose.service("kafka")).containsKey("healthcheck");
    for (String module : Repo.SERVICES) {
      assertThat(Dockerfile.read(module + "/src/main/docker/Dockerfile.jvm").finalStage().all("HEALTHCHECK")).isNotEmpty();
    }
  }

  @Test
  void the_gateway_is_published_on_8080() {
    int port = ServiceConfig.of("gateway").httpPort();
    assertThat(Yamls.list(compose.service("gateway").get("ports"))).containsExactly("8080:" + port);
  }

  @Test
  void the_topic_script_creates_the_topics_the_code_declares() {
    assertThat(TopicScript.topics()).isEqualTo(ExpectedTopics.all());
    assertThat(compose.service("kafka-topics").get("entrypoint").toString()).contains("create-topics.sh");
  }

  /** The image's ENV overlaid with the compose file's environment: what the JVM sees. */
  private Map<String, String> effectiveEnv(String module) {
    var env = new HashMap<>(Dockerfile.read(module + "/src/main/docker/Dockerfile.jvm").finalStage().env());
    env.putAll(compose.env(module));
    return env;
  }

  private Map<String, String> dependsOn(String service) {
    var conditions = new TreeMap<String, String>();
    Yamls.map(compose.service(service).get("depends_on"))
        .forEach((name, spec) -> conditions.put(name, Yamls.text(spec, "condition")));
    return conditions;
  }

  /** deploy/compose/create-topics.sh: its {@code topic NAME PARTITIONS POLICY [RETENTION]} lines, DLQs added as it does. */
  static final class TopicScript {
    private static final Pattern LINE = Pattern.compile("(?m)^topic\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)(?:\\s+(\\S+))?\\s*$");

    static Map<String, ExpectedTopics.Topic> topics() {
      var topics = new TreeMap<String, ExpectedTopics.Topic>();
      Matcher m = LINE.matcher(Repo.read("deploy/compose/create-topics.sh"));
      while (m.find()) {
        topics.put(m.group(1), new ExpectedTopics.Topic(Integer.parseInt(m.group(2)), m.group(3), m.group(4)));
        topics.put(m.group(1) + ".dlq", new ExpectedTopics.Topic(1, "delete", null));
      }
      return topics;
    }
  }
}
