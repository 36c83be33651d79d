package io.moelora.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/** Finds the partitions of topics that the stack creates; a service started first waits for them. */
public final class TopicPartitions {

  private static final Logger LOG = Logger.getLogger(TopicPartitions.class);

  private TopicPartitions() {}

  /**
   * Every partition of {@code topics}, once all of them exist.
   *
   * @throws WakeupException when {@code running} turns false (or the thread is interrupted) while waiting
   */
  public static List<TopicPartition> await(Consumer<?, ?> consumer, Collection<String> topics, BooleanSupplier running) {
    while (running.getAsBoolean()) {
      List<TopicPartition> found = new ArrayList<>();
      Set<String> missing = new LinkedHashSet<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
          missing.add(topic);
        } else {
          infos.forEach(i -> found.add(new TopicPartition(i.topic(), i.partition())));
        }
      }
      if (missing.isEmpty()) {
        return found;
      }
      LOG.infof("Waiting for topics %s", missing);
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new WakeupException();
  }
}
