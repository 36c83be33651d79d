package io.moelora.eval.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of the checkpoints topic may be committed. The group's committed offset is where a
 * restarted or new owner of a partition starts reading, so it never passes a record whose work is
 * not finished (evaluated, skipped, refused or dead-lettered). Per partition that is the least
 * open offset, or the next offset to read when none is open. Work finishes out of order (jobs take
 * turns, newer checkpoints overtake older ones), so one slow checkpoint holds the commit back and a
 * restart reads the records after it again; the evaluator finds their results already published.
 *
 * <p>Thread-safe: the consumer thread opens, the consumer thread and the evaluator finish.
 */
public final class CommitLedger {

  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();
  private final Map<TopicPartition, Integer> epochs = new HashMap<>();

  /**
   * A record was read; its work is open until {@link #finished}.
   *
   * @return the partition's epoch, to pass back with {@link #finished}
   */
  public synchronized int opened(TopicPartition p, long offset) {
    open.computeIfAbsent(p, k -> new TreeSet<>()).add(offset);
    next.merge(p, offset + 1, Math::max);
    return epochs.getOrDefault(p, 0);
  }

  /** The work of the record at {@code offset} is finished; ignored when the partition was forgotten since. */
  public synchronized void finished(TopicPartition p, long offset, int epoch) {
    TreeSet<Long> offsets = open.get(p);
    if (offsets != null && epochs.getOrDefault(p, 0) == epoch) {
      offsets.remove(offset);
    }
  }

  /** The work of {@code delivery} is finished. */
  public void finished(CheckpointDelivery delivery) {
    finished(delivery.partition(), delivery.offset(), delivery.epoch());
  }

  /** The partitions were revoked or lost: what is still open there is now their new owner's. */
  public synchronized void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition p : partitions) {
      next.remove(p);
      open.remove(p);
      epochs.merge(p, 1, Integer::sum);
    }
  }

  /** Records read but not finished, over all partitions. */
  public synchronized int openCount() {
    return open.values().stream().mapToInt(TreeSet::size).sum();
  }

  /** The offset that is safe to commit for each partition read so far. */
  public synchronized Map<TopicPartition, Long> committable() {
    Map<TopicPartition, Long> safe = new HashMap<>();
    next.forEach((p, n) -> {
      TreeSet<Long> offsets = open.get(p);
      safe.put(p, offsets == null || offsets.isEmpty() ? n : Math.min(n, offsets.first()));
    });
    return safe;
  }
}
