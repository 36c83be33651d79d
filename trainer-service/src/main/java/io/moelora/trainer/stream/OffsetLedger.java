package io.moelora.trainer.stream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of the examples topic may be committed. The group's committed offset is where a
 * restarted or new owner of a partition starts reading, so it must never pass an example that is
 * not yet inside a durable checkpoint of its job. Per partition it is the least of:
 * <ul>
 *   <li>the next offset to read (everything before was handled),
 *   <li>any record handed to the training thread and not yet handled by it (in flight),
 *   <li>for each job, the first example accepted since its latest checkpoint (pending).
 * </ul>
 * Records that went to the DLQ or were skipped as already checkpointed are simply handled. Re-read
 * records older than a job's checkpoint are skipped by the job itself, so committing low is safe;
 * committing high would lose examples. Thread-safe: the consumer thread and the training thread
 * both report here.
 */
public final class OffsetLedger {

  private final Map<TopicPartition, Long> position = new HashMap<>();
  private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
  private final Map<TopicPartition, Map<String, Long>> pendingSince = new HashMap<>();

  /** A record was read and is about to be handed to the training thread. */
  public synchronized void handedOver(TopicPartition p, long offset) {
    inFlight.computeIfAbsent(p, k -> new TreeSet<>()).add(offset);
    read(p, offset);
  }

  /** A record was read and handled on the consumer thread (e.g. dead-lettered). */
  public synchronized void read(TopicPartition p, long offset) {
    position.merge(p, offset + 1, Math::max);
  }

  /**
   * The training thread handled a record; when {@code pinnedBy} is a job, the record is part of that
   * job's work since its last checkpoint (buffered or trained) and pins the commit until a checkpoint
   * covers it.
   */
  public synchronized void handled(TopicPartition p, long offset, String pinnedBy) {
    if (pinnedBy != null) {
      pendingSince.computeIfAbsent(p, k -> new HashMap<>()).putIfAbsent(pinnedBy, offset);
    }
    TreeSet<Long> flying = inFlight.get(p);
    if (flying != null) {
      flying.remove(offset);
    }
  }

  /**
   * A checkpoint of {@code jobId} covers its examples up to {@code covered}; examples it still
   * buffers start at {@code firstUncovered} (absent: none).
   */
  public synchronized void checkpointed(String jobId, Collection<TopicPartition> partitions,
      Map<TopicPartition, Long> firstUncovered) {
    for (TopicPartition p : partitions) {
      Map<String, Long> jobs = pendingSince.get(p);
      if (jobs == null) {
        continue;
      }
      Long next = firstUncovered.get(p);
      if (next == null) {
        jobs.remove(jobId);
      } else {
        jobs.put(jobId, next);
      }
    }
  }

  /** Where the job's un-checkpointed work starts in {@code p}, if it has any. */
  public synchronized OptionalLong pendingSince(TopicPartition p, String jobId) {
    Long since = pendingSince.getOrDefault(p, Map.of()).get(jobId);
    return since == null ? OptionalLong.empty() : OptionalLong.of(since);
  }

  /** Partitions with anything recorded. */
  public synchronized java.util.Set<TopicPartition> partitions() {
    java.util.Set<TopicPartition> all = new java.util.HashSet<>(position.keySet());
    all.addAll(pendingSince.keySet());
    return all;
  }

  /** True when no record of {@code p} waits for the training thread. */
  public synchronized boolean drained(TopicPartition p) {
    TreeSet<Long> flying = inFlight.get(p);
    return flying == null || flying.isEmpty();
  }

  /** Forgets a job's pins (it was deleted: its examples are no longer wanted). */
  public synchronized void release(String jobId) {
    pendingSince.values().forEach(jobs -> jobs.remove(jobId));
  }

  /** The partition was revoked or re-read from an earlier offset: start over. */
  public synchronized void reset(TopicPartition p) {
    position.remove(p);
    inFlight.remove(p);
    pendingSince.remove(p);
  }

  /** The highest offset that is safe to commit for {@code p}, if anything was read. */
  public synchronized OptionalLong committable(TopicPartition p) {
    Long next = position.get(p);
    if (next == null) {
      return OptionalLong.empty();
    }
    long safe = next;
    TreeSet<Long> flying = inFlight.get(p);
    if (flying != null && !flying.isEmpty()) {
      safe = Math.min(safe, flying.first());
    }
    for (long since : pendingSince.getOrDefault(p, Map.of()).values()) {
      safe = Math.min(safe, since);
    }
    return OptionalLong.of(safe);
  }
}
