package io.moelora.eval.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Checkpoints waiting for the evaluator: at most one per job, the newest. Evaluating a checkpoint
 * takes far longer than training one can, so keeping every arrival would let the evaluator fall
 * behind without bound; a checkpoint superseded before its evaluation started is handed back to be
 * recorded as skipped. Jobs take turns: the job waiting longest goes first, and a job's slot keeps
 * its place in the line when a newer checkpoint replaces the one in it.
 *
 * <p>Thread-safe: the consumer thread offers, the evaluator takes.
 */
public final class PendingCheckpoints {

  /**
   * A checkpoint that will not be evaluated because {@code newer} of the same job took its place.
   *
   * @param older the one given up
   * @param newer the one kept
   */
  public record Superseded(CheckpointDelivery older, CheckpointDelivery newer) {

    /** True when both are the same checkpoint (delivered twice): nothing was skipped. */
    public boolean duplicate() {
      return older.checkpointId().equals(newer.checkpointId());
    }
  }

  private final Map<String, CheckpointDelivery> byJob = new LinkedHashMap<>();

  /**
   * Adds all of {@code deliveries} at once, so that the evaluator sees only the newest of a job
   * among records read together.
   *
   * @return the deliveries given up, each with the one that replaced it
   */
  public synchronized List<Superseded> offerAll(List<CheckpointDelivery> deliveries) {
    List<Superseded> superseded = new ArrayList<>();
    for (CheckpointDelivery d : deliveries) {
      CheckpointDelivery waiting = byJob.get(d.jobId());
      if (waiting == null) {
        byJob.put(d.jobId(), d);
      } else if (waiting.checkpointId().equals(d.checkpointId())
          || CheckpointDelivery.AGE.compare(d, waiting) < 0) {
        // A repeat keeps the first delivery's place; an older one never displaces a newer.
        superseded.add(new Superseded(d, waiting));
      } else {
        byJob.put(d.jobId(), d);
        superseded.add(new Superseded(waiting, d));
      }
    }
    if (!deliveries.isEmpty()) {
      notifyAll();
    }
    return superseded;
  }

  /**
   * The next checkpoint to evaluate, waiting up to {@code timeout} for one.
   *
   * @return empty when none arrived in time
   */
  public synchronized Optional<CheckpointDelivery> take(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (byJob.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000));
    }
    Iterator<CheckpointDelivery> first = byJob.values().iterator();
    CheckpointDelivery next = first.next();
    first.remove();
    return Optional.of(next);
  }

  /**
   * Forgets the checkpoints read from {@code partitions} (revoked: their new owner reads them again).
   *
   * @return the ones forgotten
   */
  public synchronized List<CheckpointDelivery> drop(Collection<TopicPartition> partitions) {
    List<CheckpointDelivery> dropped = new ArrayList<>();
    byJob.values().removeIf(d -> {
      boolean gone = partitions.contains(d.partition());
      if (gone) {
        dropped.add(d);
      }
      return gone;
    });
    return dropped;
  }

  /** Checkpoints waiting now. */
  public synchronized int size() {
    return byJob.size();
  }
}
