package io.moelora.trainer.train;

import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.core.train.StepResult;
import io.moelora.core.train.TrainingDivergedException;
import io.moelora.events.JobSpec;
import io.moelora.events.JobState;
import io.moelora.trainer.stream.Delivery;
import io.moelora.trainer.stream.OffsetLedger;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The one thread of a replica that touches DJL (one gradient collector per JVM): takes examples
 * from the consumer thread, keeps each job's {@link JobRun}, trains full batches, writes checkpoints
 * per the job's policy and announces them. Other threads talk to it only through its queues, and
 * commands (spec changes, partition revocations) run before the next example.
 */
public final class TrainingLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TrainingLoop.class);
  private static final long TICK_NANOS = 500_000_000L;
  private static final String PAUSED_BY_SPEC = "paused by its spec (paused: true); its examples are held, unconsumed,"
      + " until a spec with paused false resumes it from its last checkpoint";

  /** Why a job on this replica is not training. */
  private record Halt(JobState state, String reason) {}

  /** Asks the consumer to re-read a partition from an offset; it answers with {@link #rewound}. */
  public interface Rewinder {
    void rewind(String jobId, TopicPartition partition, long offset);
  }

  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Map<String, JobRun> runs = new HashMap<>();
  private final Map<String, Halt> halted = new HashMap<>();
  private final Map<String, Integer> rewinding = new HashMap<>();
  private final Set<String> unannounced = new HashSet<>();
  private final Set<TopicPartition> revokedNow = new HashSet<>();
  private final BaseModels bases;
  private final CheckpointStore store;
  private final TrainerEvents events;
  private final OffsetLedger ledger;
  private final TrainingSettings settings;
  private final Function<String, Set<String>> protectedCheckpoints;
  private final Thread thread;
  private volatile Rewinder rewinder;
  private volatile boolean running = true;
  private long lastTick = System.nanoTime();

  public TrainingLoop(BaseModels bases, CheckpointStore store, TrainerEvents events, OffsetLedger ledger,
      TrainingSettings settings, Function<String, Set<String>> protectedCheckpoints) {
    this.bases = bases;
    this.store = store;
    this.events = events;
    this.ledger = ledger;
    this.settings = settings;
    this.protectedCheckpoints = protectedCheckpoints;
    this.thread = new Thread(this::run, "training-loop");
    this.thread.setDaemon(true);
  }

  public TrainingLoop start(Rewinder rewinder) {
    this.rewinder = rewinder;
    thread.start();
    return this;
  }

  public boolean alive() {
    return thread.isAlive();
  }

  /** Hands over an example; the caller registered it with the ledger as in flight. */
  public void offer(Delivery delivery) {
    deliveries.add(delivery);
  }

  /** Examples handed over and not yet taken. */
  public int queued() {
    return deliveries.size();
  }

  /**
   * The partitions moved to another replica: their jobs are dropped without a checkpoint (the new
   * owner resumes from the last one and re-reads what came after). Blocks until done, so nothing
   * of theirs is checkpointed by this replica afterwards.
   */
  public void revoke(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    commands.add(() -> {
      try {
        Set<TopicPartition> gone = Set.copyOf(partitions);
        revokedNow.addAll(gone);
        deliveries.removeIf(d -> gone.contains(d.partition()));
        runs.values().removeIf(run -> {
          boolean affected = run.partitions().stream().anyMatch(gone::contains);
          if (affected) {
            LOG.infof("Job %s moves to another replica (partitions %s revoked)", run.spec().jobId(), gone);
            halted.remove(run.spec().jobId());
            run.close();
          }
          return affected;
        });
        gone.forEach(ledger::reset);
      } finally {
        done.complete(null);
      }
    });
    if (Thread.currentThread() == thread) {
      commands.poll().run();
      return;
    }
    try {
      done.get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("training loop did not release partitions " + partitions, e);
    }
  }

  /** A job's spec changed (null: deleted); called from the job directory's thread. */
  public void specChanged(String jobId, JobSpec spec) {
    commands.add(() -> onSpecChanged(jobId, spec));
  }

  /** The consumer re-positioned a partition for {@code jobId}. */
  public void rewound(String jobId) {
    commands.add(() -> {
      int left = rewinding.merge(jobId, -1, Integer::sum);
      if (left <= 0) {
        rewinding.remove(jobId);
        halted.remove(jobId);
        LOG.infof("Job %s re-reads its examples since its last checkpoint", jobId);
      }
    });
  }

  private void run() {
    try {
      while (running) {
        Delivery d = deliveries.poll(200, TimeUnit.MILLISECONDS);
        // Commands first, including those that arrived while waiting: the consumer posts "rewound"
        // before it hands over the records it re-reads, and a revocation may have taken d's partition.
        revokedNow.clear();
        for (Runnable c; (c = commands.poll()) != null; ) {
          c.run();
        }
        if (d != null && !revokedNow.contains(d.partition())) {
          handle(d);
        }
        if (System.nanoTime() - lastTick >= TICK_NANOS) {
          tick();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("Training loop stopped", e);
      throw e;
    }
  }

  private void handle(Delivery d) {
    String jobId = d.example().jobId();
    Halt halt = halted.get(jobId);
    if (halt != null) {
      if (halt.state() == JobState.COMPLETED) {
        events.publisher().deadLetter(d.record(), "job " + jobId + " is completed (" + halt.reason()
            + "); publish a spec with a larger maxExamples to train more");
        ledger.handled(d.partition(), d.offset(), null);
      } else {
        // Kept for when the job resumes: the commit stays before it.
        ledger.handled(d.partition(), d.offset(), jobId);
      }
      return;
    }
    JobRun run = runs.get(jobId);
    if (run == null && d.spec().paused()) {
      halted.put(jobId, new Halt(JobState.PAUSED, PAUSED_BY_SPEC));
      ledger.handled(d.partition(), d.offset(), jobId);
      return;
    }
    if (run == null) {
      run = open(d.spec());
      if (run == null) {
        ledger.handled(d.partition(), d.offset(), jobId);
        return;
      }
    }
    if (run.budgetReached()) {
      ledger.handled(d.partition(), d.offset(), null);
      events.publisher().deadLetter(d.record(), "job " + jobId + " reached maxExamples " + run.spec().maxExamples());
      return;
    }
    boolean fresh = run.accept(d.partition(), d.offset(), d.example());
    ledger.handled(d.partition(), d.offset(), fresh ? jobId : null);
    if (!fresh) {
      return;
    }
    try {
      while (run.buffered() >= run.batchSize() || (run.budgetReached() && run.buffered() > 0)) {
        step(run);
        if (run.checkpointDueByCount()) {
          checkpoint(run);
        }
      }
      if (run.budgetReached()) {
        complete(run);
      }
    } catch (TrainingDivergedException e) {
      halt(run, JobState.PAUSED, e.getMessage() + ". Publish a new spec for the job (e.g. a lower lr) to resume from "
          + run.lastCheckpoint().map(StoredCheckpoint::checkpointId).orElse("the start"));
    } catch (RuntimeException e) {
      LOG.errorf(e, "Job %s failed", jobId);
      halt(run, JobState.FAILED, "training failed: " + e);
    }
  }

  private JobRun open(JobSpec spec) {
    String jobId = spec.jobId();
    try {
      JobRun run = JobRun.open(spec, bases.get(spec.baseModel()), store);
      runs.put(jobId, run);
      String how = run.lastCheckpoint()
          .map(c -> "resumed from checkpoint " + c.checkpointId() + " at step " + c.step() + ", "
              + run.examplesSeen() + " examples trained")
          .orElse("started from a fresh adapter");
      events.lifecycle(jobId, JobState.TRAINING, how, run.step(), run.examplesSeen(),
          run.lastCheckpoint().map(StoredCheckpoint::checkpointId).orElse(null));
      if (run.lastCheckpoint().isEmpty()) {
        // Step 0: the adapter starts as the identity (B = 0), so evaluating this checkpoint scores
        // the base model, and every job's curve starts from the base model's accuracy.
        StoredCheckpoint baseline = run.checkpoint(store);
        announce(run, baseline);
        events.lifecycle(jobId, JobState.CHECKPOINTED, "baseline checkpoint " + baseline.checkpointId()
            + " at step 0 (the base model's behaviour)", 0, 0, baseline.checkpointId());
      } else {
        // A crash between writing a checkpoint and announcing it must not hide it: announce again
        // (consumers are idempotent by checkpoint id).
        run.lastCheckpoint().ifPresent(c -> announce(run, c));
      }
      if (run.budgetReached()) {
        complete(run);
        return null;
      }
      return run;
    } catch (RuntimeException e) {
      LOG.errorf(e, "Job %s cannot start", jobId);
      halted.put(jobId, new Halt(JobState.FAILED, e.getMessage()));
      events.lifecycle(jobId, JobState.FAILED, "cannot start: " + e.getMessage(), 0, 0, null);
      return null;
    }
  }

  private void step(JobRun run) {
    StepResult r = run.trainStep();
    if (!r.skipped() && (r.step() % settings.metricsEvery() == 0 || r.step() == 1)) {
      events.metrics(run.spec().jobId(), r);
    }
  }

  private void checkpoint(JobRun run) {
    if (!run.trainedSinceCheckpoint()) {
      return;
    }
    String jobId = run.spec().jobId();
    StoredCheckpoint stored = run.checkpoint(store);
    // Durable now: the commit may pass everything it covers.
    ledger.checkpointed(jobId, run.partitions(), run.firstBuffered());
    announce(run, stored);
    events.lifecycle(jobId, JobState.CHECKPOINTED, "checkpoint " + stored.checkpointId() + " at step "
        + stored.step() + ", " + run.examplesSeen() + " examples", stored.step(), run.examplesSeen(),
        stored.checkpointId());
    Set<String> keep = new HashSet<>(protectedCheckpoints.apply(jobId));
    keep.add(stored.checkpointId());
    store.retain(jobId, settings.keepLast(), keep)
        .forEach(c -> LOG.debugf("Retention deleted checkpoint %s of job %s", c.checkpointId(), jobId));
  }

  private void announce(JobRun run, StoredCheckpoint stored) {
    String jobId = run.spec().jobId();
    try {
      events.checkpoint(stored, run.examplesSeen(), run.adapterType(), run.trainableParameters(),
          run.checkpointMetrics());
      unannounced.remove(jobId);
    } catch (RuntimeException e) {
      LOG.warnf("Checkpoint %s of job %s is stored but not announced yet: %s", stored.checkpointId(), jobId,
          e.getMessage());
      unannounced.add(jobId);
    }
  }

  private void complete(JobRun run) {
    String jobId = run.spec().jobId();
    while (run.buffered() > 0) {
      step(run);
    }
    checkpoint(run);
    String reason = run.examplesSeen() + " examples of maxExamples " + run.spec().maxExamples();
    events.lifecycle(jobId, JobState.COMPLETED, reason, run.step(), run.examplesSeen(),
        run.lastCheckpoint().map(StoredCheckpoint::checkpointId).orElse(null));
    halted.put(jobId, new Halt(JobState.COMPLETED, reason));
    runs.remove(jobId);
    run.close();
  }

  // Nothing of the failed run is checkpointed; its examples since the last checkpoint stay pinned.
  private void halt(JobRun run, JobState state, String reason) {
    String jobId = run.spec().jobId();
    halted.put(jobId, new Halt(state, reason));
    events.lifecycle(jobId, state, reason, run.step(), run.examplesSeen(),
        run.lastCheckpoint().map(StoredCheckpoint::checkpointId).orElse(null));
    runs.remove(jobId);
    run.close();
  }

  private void onSpecChanged(String jobId, JobSpec spec) {
    JobRun run = runs.get(jobId);
    Halt halt = halted.get(jobId);
    if (spec == null) {
      if (run != null) {
        runs.remove(jobId).close();
      }
      halted.remove(jobId);
      ledger.release(jobId);
      LOG.infof("Job %s deleted; its further examples are rejected", jobId);
      return;
    }
    if (run != null) {
      if (run.spec().equals(spec)) {
        return;
      }
      // Finish what is buffered under the old spec, then continue from that checkpoint.
      try {
        while (run.buffered() > 0) {
          step(run);
        }
        checkpoint(run);
        if (spec.paused()) {
          halt(run, JobState.PAUSED, PAUSED_BY_SPEC);
          return;
        }
        runs.remove(jobId).close();
        if (!spec.continuous() && run.examplesSeen() >= spec.maxExamples()) {
          // The new budget is already spent (e.g. "complete now"): finish without waiting for an example.
          String reason = run.examplesSeen() + " examples of maxExamples " + spec.maxExamples();
          events.lifecycle(jobId, JobState.COMPLETED, reason, run.step(), run.examplesSeen(),
              run.lastCheckpoint().map(StoredCheckpoint::checkpointId).orElse(null));
          halted.put(jobId, new Halt(JobState.COMPLETED, reason));
          return;
        }
        LOG.infof("Job %s continues under its new spec", jobId);
      } catch (TrainingDivergedException e) {
        halt(run, JobState.PAUSED, e.getMessage());
      }
      return;
    }
    if (spec.paused()) {
      // Not running here (or already halted): hold its examples until a running spec arrives.
      if (halt == null || halt.state() != JobState.COMPLETED) {
        boolean announce = halt == null || !PAUSED_BY_SPEC.equals(halt.reason());
        halted.put(jobId, new Halt(JobState.PAUSED, PAUSED_BY_SPEC));
        if (announce && halt != null) {
          events.lifecycle(jobId, JobState.PAUSED, PAUSED_BY_SPEC, 0, 0, null);
        }
      }
      return;
    }
    if (halt == null) {
      return;
    }
    if (halt.state() == JobState.COMPLETED) {
      halted.remove(jobId);
      return;
    }
    // Paused or failed: re-read everything since the last checkpoint under the new spec.
    int requested = 0;
    for (TopicPartition p : partitionsPinnedBy(jobId)) {
      rewinder.rewind(jobId, p, ledger.pendingSince(p, jobId).getAsLong());
      requested++;
    }
    if (requested == 0) {
      halted.remove(jobId);
    } else {
      rewinding.put(jobId, requested);
      halted.put(jobId, new Halt(JobState.PAUSED, "resuming"));
    }
  }

  private Set<TopicPartition> partitionsPinnedBy(String jobId) {
    Set<TopicPartition> out = new HashSet<>();
    for (TopicPartition p : ledger.partitions()) {
      if (ledger.pendingSince(p, jobId).isPresent()) {
        out.add(p);
      }
    }
    return out;
  }

  private void tick() {
    lastTick = System.nanoTime();
    for (JobRun run : runs.values().toArray(JobRun[]::new)) {
      if (!runs.containsKey(run.spec().jobId())) {
        continue;
      }
      try {
        if (run.checkpointDueByTime(lastTick)) {
          while (run.buffered() > 0) {
            step(run);
          }
          checkpoint(run);
        } else if (unannounced.contains(run.spec().jobId())) {
          run.lastCheckpoint().ifPresent(c -> announce(run, c));
        }
      } catch (TrainingDivergedException e) {
        halt(run, JobState.PAUSED, e.getMessage());
      } catch (RuntimeException e) {
        LOG.errorf(e, "Job %s failed", run.spec().jobId());
        halt(run, JobState.FAILED, "training failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runs.values().forEach(JobRun::close);
    runs.clear();
  }
}
