package io.moelora.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.Topics;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** k8s/ rendered per overlay: the Strimzi cluster, its topics and the KEDA scaling against the code. */
class KubernetesKafkaTest {

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void topics_are_the_ones_the_code_declares(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    String cluster = Yamls.text(k8s.all("Kafka").get(0), "metadata", "name");
    var topics = new TreeMap<String, ExpectedTopics.Topic>();
    for (var topic : k8s.all("KafkaTopic")) {
      assertThat(Yamls.text(topic, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(cluster);
      var config = Yamls.map(Yamls.at(topic, "spec", "config"));
      Object retention = config.get("retention.ms");
      topics.put(Yamls.text(topic, "spec", "topicName"), new ExpectedTopics.Topic(
          Integer.parseInt(Yamls.text(topic, "spec", "partitions")), String.valueOf(config.get("cleanup.policy")),
          retention == null ? null : String.valueOf(retention)));
    }
    assertThat(topics).isEqualTo(ExpectedTopics.all());
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void kafka_runs_kraft_node_pools_of_the_clients_major_version(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    var kafka = k8s.all("Kafka").get(0);
    assertThat(Yamls.map(Yamls.at(kafka, "metadata", "annotations")))
        .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
    String major = Repo.kafkaVersion().split("\\.")[0];
    assertThat(Yamls.text(kafka, "spec", "kafka", "version")).startsWith(major + ".");
    assertThat(Yamls.text(kafka, "spec", "kafka", "config", "auto.create.topics.enable")).isEqualTo("false");
    var pool = k8s.all("KafkaNodePool").get(0);
    assertThat(Yamls.text(pool, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(Yamls.text(kafka, "metadata", "name"));
    assertThat(Yamls.list(Yamls.at(pool, "spec", "roles"))).contains("controller", "broker");
    int replicas = Integer.parseInt(Yamls.text(pool, "spec", "replicas"));
    for (var topic : k8s.all("KafkaTopic")) {
      assertThat(Integer.parseInt(Yamls.text(topic, "spec", "replicas"))).isLessThanOrEqualTo(replicas);
    }
    assertThat(Integer.parseInt(Yamls.text(kafka, "spec", "kafka", "config", "offsets.topic.replication.factor")))
        .isLessThanOrEqualTo(replicas);
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void trainer_and_evaluator_scale_on_their_consumer_groups_lag_up_to_the_partitions(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    String trainerGroup = ServiceConfig.of("trainer-service").defaults().get("moelora.trainer.group");
    String evalGroup = ServiceConfig.constant("eval-service", "io.moelora.eval.messaging.CheckpointConsumer", "GROUP");
    var expected = Map.of(
        "trainer-service", Map.of("consumerGroup", trainerGroup, "topic", Topics.TRAINING_EXAMPLES),
        "eval-service", Map.of("consumerGroup", evalGroup, "topic", Topics.CHECKPOINTS));
    var kafka = k8s.all("Kafka").get(0);
    String bootstrap = Yamls.text(kafka, "metadata", "name") + "-kafka-bootstrap:"
        + KubernetesWorkloadsTest.plainListenerPort(kafka);
    assertThat(k8s.all("ScaledObject")).hasSize(2);
    expected.forEach((deployment, trigger) -> {
      var scaled = k8s.one("ScaledObject", deployment);
      assertThat(Yamls.text(scaled, "spec", "scaleTargetRef", "name")).isEqualTo(deployment);
      k8s.one("Deployment", deployment);
      var kafkaTrigger = Yamls.list(Yamls.at(scaled, "spec", "triggers")).get(0);
      assertThat(Yamls.text(kafkaTrigger, "type")).isEqualTo("kafka");
      var metadata = Yamls.map(Yamls.at(kafkaTrigger, "metadata"));
      assertThat(metadata).containsAllEntriesOf(trigger).containsEntry("bootstrapServers", bootstrap);
      int partitions = ExpectedTopics.all().get(trigger.get("topic")).partitions();
      assertThat(Integer.parseInt(Yamls.text(scaled, "spec", "maxReplicaCount")))
          .as("replicas beyond %s's partitions would sit idle", trigger.get("topic")).isBetween(1, partitions);
    });
  }
}
