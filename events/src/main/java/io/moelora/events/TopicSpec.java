package io.moelora.events;

/**
 * How a topic is created: its partition count and cleanup policy. Single-node brokers use
 * replication factor 1; clusters choose their own.
 *
 * @param name       topic name
 * @param partitions partition count, [1, 1024]
 * @param compacted  {@code cleanup.policy=compact} (latest value per key kept) instead of delete
 */
public record TopicSpec(String name, int partitions, boolean compacted) {

  public TopicSpec {
    FieldChecks.text("name", name, 249);
    FieldChecks.inRange("partitions", partitions, 1, 1024);
  }

  /** The {@code cleanup.policy} topic config value. */
  public String cleanupPolicy() {
    return compacted ? "compact" : "delete";
  }
}
