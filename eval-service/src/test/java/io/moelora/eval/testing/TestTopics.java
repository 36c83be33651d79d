package io.moelora.eval.testing;

import static org.awaitility.Awaitility.await;

import io.moelora.events.EventCodec;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the eval-service tests do on the real broker: produce records as outside producers would,
 * read a topic's records of one job, and see the service's committed offsets.
 */
public final class TestTopics {

  // Generous: other builds and training runs may share the 2 cores; a passing test never waits this long.
  public static final Duration WAIT = Duration.ofMinutes(3);

  private final String bootstrap;

  public TestTopics(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Sends one record and returns where it landed. */
  public RecordMetadata send(String topic, String key, String value) throws Exception {
    return sendTogether(topic, key, List.of(value)).get(0);
  }

  /** Sends an event keyed by its job as JSON. */
  public RecordMetadata send(String topic, String key, Record event) throws Exception {
    return send(topic, key, EventCodec.toJson(event));
  }

  /**
   * Sends values under one key in one producer batch, so a consumer reads them in one poll, as it
   * would when they were produced while it was busy.
   */
  public List<RecordMetadata> sendTogether(String topic, String key, List<String> values) throws Exception {
    Map<String, Object> props = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, "1000");
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (String value : values) {
        sent.add(producer.send(new ProducerRecord<>(topic, key, value)));
      }
      producer.flush();
      List<RecordMetadata> out = new ArrayList<>();
      for (Future<RecordMetadata> f : sent) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    }
  }

  /** The records of {@code key} on {@code topic}, read until {@code done} holds for them. */
  public List<ConsumerRecord<String, String>> awaitRecords(String topic, String key,
      Predicate<List<ConsumerRecord<String, String>>> done) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = TestKafkaClients.readFromBeginning(bootstrap, topic)) {
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (key.equals(r.key())) {
            seen.add(r);
          }
        });
        return done.test(seen);
      });
    }
    return seen;
  }

  /** Every record of {@code key} on {@code topic} as of now. */
  public List<ConsumerRecord<String, String>> readAll(String topic, String key) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = TestKafkaClients.readFromBeginning(bootstrap, topic)) {
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (key.equals(r.key())) {
            seen.add(r);
          }
        });
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
      });
    }
    return seen;
  }

  /** Waits until {@code group} has committed past {@code record}: its work is finished. */
  public void awaitCommittedPast(String group, RecordMetadata record) {
    TopicPartition p = new TopicPartition(record.topic(), record.partition());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      await().atMost(WAIT).until(() -> {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS).get(p);
        return committed != null && committed.offset() > record.offset();
      });
    }
  }

  /** The events of type {@code type} among {@code records}. */
  public static <T extends Record> List<T> parse(List<ConsumerRecord<String, String>> records, Class<T> type) {
    return records.stream().map(r -> EventCodec.fromJson(r.value(), type)).toList();
  }
}
