package io.moelora.trainer.support;

import static org.awaitility.Awaitility.await;

import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Everything on a topic from its beginning, read as tests wait for what they expect. */
public final class TopicLog implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

  public TopicLog(String bootstrap, String topic) {
    this.consumer = TestKafkaClients.readFromBeginning(bootstrap, topic);
  }

  /** Reads what is there now. */
  public List<ConsumerRecord<String, String>> poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    return List.copyOf(seen);
  }

  /** Records with {@code key}, read so far. */
  public List<ConsumerRecord<String, String>> byKey(String key) {
    return poll().stream().filter(r -> key.equals(r.key())).toList();
  }

  /** Waits until some record matches, and returns the first that does. */
  public ConsumerRecord<String, String> awaitFirst(Duration timeout, Predicate<ConsumerRecord<String, String>> match) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> poll().stream().anyMatch(match));
    return seen.stream().filter(match).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
