package io.moelora.events;

/**
 * How a topic is created: its partition count and cleanup policy. Single-node brokers use
 * replication factor 1; clusters choose their own.
 *
 * @param name       topic name
 * @param partitions partition count, [1, 1024]
 * @param compacted  {@code cleanup.policy=compact} (latest value per key kept) instead of delete
 */
public record TopicSpec(String name, int partitions, boolean compacted, boolean keptForever) {

  public TopicSpec {
    FieldChecks.text("name", name, 249);
    FieldChecks.inRange("partitions", partitions, 1, 1024);
  }

  /** A topic with the broker's default retention. */
  public TopicSpec(String name, int partitions, boolean compacted) {
    this(name, partitions, compacted, false);
  }

  /** The {@code retention.ms} topic config value: -1 (never delete) for history topics, else null (broker default). */
  public String retentionMs() {
    return keptForever ? "-1" : null;
  }

  /** The {@code cleanup.policy} topic config value. */
  public String cleanupPolicy() {
    return compacted ? "compact" : "delete";
  }
}
