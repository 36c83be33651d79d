package io.moelora.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerIT {

  private static final String TOPIC = "it.keyed";

  @TempDir
  Path dataDir;

  @Test
  void keyedRecordsSurviveARestartOnTheSameDataDir() throws Exception {
    BrokerConfig resolved;
    String clusterId;
    try (var broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dataDir))) {
      resolved = broker.config();
      assertThat(resolved.port()).isPositive();
      assertThat(Files.exists(dataDir.resolve("meta.properties"))).isTrue();
      clusterId = clusterId(broker);
      produce(broker.bootstrapServers(), List.of("job-a", "job-b", "job-a"));
      assertThat(consumeAll(broker.bootstrapServers(), 3))
          .extracting(ConsumerRecord::key).containsExactlyInAnyOrder("job-a", "job-b", "job-a");
    }

    try (var broker = LocalKafkaBroker.start(resolved)) {
      assertThat(clusterId(broker)).as("not reformatted").isEqualTo(clusterId);
      List<ConsumerRecord<String, String>> records = consumeAll(broker.bootstrapServers(), 3);
      assertThat(records).extracting(ConsumerRecord::value)
          .containsExactlyInAnyOrder("value-0", "value-1", "value-2");
      // Same key, same partition: per-job order holds across the restart.
      assertThat(records.stream().filter(r -> r.key().equals("job-a")).map(ConsumerRecord::partition)
          .distinct()).hasSize(1);
    }
  }

  @Test
  void provisionsTheProductTopicsIdempotently() throws Exception {
    try (var broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dataDir));
        Admin admin = broker.admin()) {
      assertThat(TopicProvisioner.ensure(admin, Topics.all())).hasSize(Topics.all().size());
      assertThat(TopicProvisioner.ensure(admin, Topics.all())).isEmpty();

      var jobs = new ConfigResource(ConfigResource.Type.TOPIC, Topics.JOBS);
      String policy = admin.describeConfigs(List.of(jobs)).all().get().get(jobs)
          .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      assertThat(policy).isEqualTo("compact");
      var results = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVAL_RESULTS);
      assertThat(admin.describeConfigs(List.of(results)).all().get().get(results)
          .get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
      assertThat(admin.describeTopics(List.of(Topics.TRAINING_EXAMPLES)).allTopicNames().get()
          .get(Topics.TRAINING_EXAMPLES).partitions()).hasSize(Topics.JOB_PARTITIONS);
    }
  }

  private static String clusterId(LocalKafkaBroker broker) throws Exception {
    try (Admin admin = broker.admin()) {
      return admin.describeCluster().clusterId().get();
    }
  }

  private static void produce(String bootstrap, List<String> keys) throws Exception {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < keys.size(); i++) {
        producer.send(new ProducerRecord<>(TOPIC, keys.get(i), "value-" + i)).get();
      }
    }
  }

  private static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, int expected) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var records = new ArrayList<ConsumerRecord<String, String>>();
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
