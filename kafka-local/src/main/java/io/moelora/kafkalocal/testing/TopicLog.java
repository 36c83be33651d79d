package io.moelora.kafkalocal.testing;

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

  /** Waits until some record matches, and returns the first that does; fails after {@code timeout}. */
  public ConsumerRecord<String, String> awaitFirst(Duration timeout, Predicate<ConsumerRecord<String, String>> match) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (ConsumerRecord<String, String> record : poll()) {
        if (match.test(record)) {
          return record;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching record on " + consumer.assignment() + " within " + timeout);
      }
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
