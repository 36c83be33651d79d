package io.moelora.eval.service;

import io.moelora.eval.messaging.CheckpointDelivery;
import io.moelora.eval.messaging.PendingCheckpoints;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The one thread that does model work: takes the next pending checkpoint, has it evaluated, and
 * reports it finished so its offset can be committed. One thread because evaluation saturates the
 * cores libtorch is given; more replicas, not more threads, add throughput. No checkpoint can stop
 * it: anything unexpected is logged and the checkpoint counted as finished, so a poison record never
 * blocks the ones after it.
 */
final class EvalWorker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EvalWorker.class);
  private static final Duration IDLE = Duration.ofMillis(500);

  private final PendingCheckpoints pending;
  private final CheckpointEvaluator evaluator;
  private final Consumer<CheckpointDelivery> finished;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param finished called with each checkpoint whose work is done (not when stopping cut it short)
   */
  EvalWorker(PendingCheckpoints pending, CheckpointEvaluator evaluator, Consumer<CheckpointDelivery> finished) {
    this.pending = pending;
    this.evaluator = evaluator;
    this.finished = finished;
    this.thread = new Thread(this::run, "eval-worker");
    this.thread.setDaemon(true);
  }

  EvalWorker start() {
    thread.start();
    return this;
  }

  boolean alive() {
    return thread.isAlive();
  }

  private void run() {
    while (running) {
      Optional<CheckpointDelivery> next;
      try {
        next = pending.take(IDLE);
      } catch (InterruptedException e) {
        return;
      }
      if (next.isEmpty()) {
        continue;
      }
      CheckpointDelivery delivery = next.get();
      try {
        evaluator.evaluate(delivery);
        finished.accept(delivery);
      } catch (CancellationException e) {
        LOG.infof("Stopped while evaluating %s; it is read again after restart", delivery.describe());
        return;
      } catch (RuntimeException e) {
        LOG.errorf(e, "Giving up on %s", delivery.describe());
        finished.accept(delivery);
      }
    }
  }

  /** Stops after the current suite step; waits up to {@code timeout} and says whether the thread ended. */
  boolean stop(Duration timeout) {
    running = false;
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
