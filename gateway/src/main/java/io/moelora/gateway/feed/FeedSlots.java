package io.moelora.gateway.feed;

import io.moelora.events.Topics;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions the gateway reads, each given a fixed slot number: topics in {@link #TOPICS}
 * order, partitions by number. Slots index the offset vectors of {@link StreamPosition}, so every
 * replica of one cluster numbers them alike and a stream position means the same everywhere.
 */
public final class FeedSlots {

  /** What the gateway reads; the order is part of the stream position format. */
  public static final List<String> TOPICS = List.of(Topics.JOBS, Topics.JOB_EVENTS, Topics.CHECKPOINTS,
      Topics.TRAINING_METRICS, Topics.EVAL_RESULTS, Topics.EVAL_PROGRESS, Topics.LEADERBOARD);

  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Integer> slots = new HashMap<>();

  public FeedSlots(List<TopicPartition> partitions) {
    this.partitions = partitions.stream()
        .sorted(Comparator.<TopicPartition>comparingInt(p -> TOPICS.indexOf(p.topic()))
            .thenComparingInt(TopicPartition::partition))
        .toList();
    for (int i = 0; i < this.partitions.size(); i++) {
      slots.put(this.partitions.get(i), i);
    }
  }

  public int size() {
    return partitions.size();
  }

  public List<TopicPartition> partitions() {
    return partitions;
  }

  /** The slot of {@code partition}, or -1 when it is not read. */
  public int slot(TopicPartition partition) {
    return slots.getOrDefault(partition, -1);
  }

  public int slot(String topic, int partition) {
    return slot(new TopicPartition(topic, partition));
  }
}
