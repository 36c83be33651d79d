package io.moelora.trainer.train;

import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.ExampleChecksum;
import io.moelora.core.train.ExampleEncoder;
import io.moelora.core.train.StepResult;
import io.moelora.core.train.TokenizedExample;
import io.moelora.events.JobSpec;
import io.moelora.events.TrainingExample;
import io.moelora.trainer.service.JobPlan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One job's training on this replica: its adapter, optimizer and RNG (isolated from other jobs;
 * the base model is shared), the examples accepted but not yet trained, and the stream offsets its
 * next checkpoint will record. Used by the training thread only.
 */
final class JobRun implements AutoCloseable {

  private final JobSpec spec;
  private final AdapterSet adapters;
  private final AdapterTrainer trainer;
  private final ExampleEncoder encoder;
  private final Deque<BufferedExample> buffer = new ArrayDeque<>();
  // Next offset to accept per partition: anything below is inside a checkpoint or the buffer.
  private final Map<TopicPartition, Long> accepted = new HashMap<>();
  // Next offset after the last trained example per partition: what a checkpoint records.
  private final Map<TopicPartition, Long> trained = new HashMap<>();
  private long checksum;
  private int sinceCheckpoint;
  private long lastCheckpointNanos = System.nanoTime();
  private StoredCheckpoint lastCheckpoint;
  private StepResult lastStep;

  private JobRun(JobSpec spec, AdapterSet adapters, AdapterTrainer trainer, ExampleEncoder encoder) {
    this.spec = spec;
    this.adapters = adapters;
    this.trainer = trainer;
    this.encoder = encoder;
  }

  /**
   * The job as its latest checkpoint left it, or fresh when it has none.
   *
   * @throws IllegalStateException when the latest checkpoint does not fit the spec
   */
  static JobRun open(JobSpec spec, LoadedModel base, CheckpointStore store) {
    JobPlan plan = JobPlan.of(spec);
    int totalSteps = spec.continuous() ? Integer.MAX_VALUE
        : (int) Math.min(Integer.MAX_VALUE - 1, (spec.maxExamples() + plan.options().batchSize() - 1)
            / plan.options().batchSize() + 1);
    ExampleEncoder encoder = new ExampleEncoder(base.tokenizer(), plan.options().cutoff(),
        plan.options().trainOnInputs(), base.model().config().eosId());
    Optional<StoredCheckpoint> latest = store.latest(spec.jobId());
    if (latest.isEmpty()) {
      AdapterSet adapters = AdapterSet.create(base.model(), plan.adapter(), plan.options().seed());
      return new JobRun(spec, adapters, new AdapterTrainer(base.model(), adapters, plan.options(), totalSteps), encoder);
    }
    LoadedCheckpoint checkpoint = store.open(latest.get().uri(), base.model());
    if (!checkpoint.adapters().config().equals(plan.adapter())) {
      checkpoint.close();
      throw new IllegalStateException("latest checkpoint " + latest.get().checkpointId() + " holds "
          + checkpoint.adapters().config() + " but the spec asks for " + plan.adapter()
          + "; start a new job id for a different adapter");
    }
    if (!checkpoint.baseModel().equals(spec.baseModel())) {
      checkpoint.close();
      throw new IllegalStateException("latest checkpoint " + latest.get().checkpointId() + " was trained on "
          + checkpoint.baseModel() + " but the spec names " + spec.baseModel());
    }
    AdapterTrainer trainer = new AdapterTrainer(base.model(), checkpoint.adapters(), plan.options(), totalSteps);
    trainer.restore(checkpoint.state());
    trainer.optimizer().restore(checkpoint.optimizerMoments(), checkpoint.optimizerUpdates());
    JobRun run = new JobRun(spec, checkpoint.adapters(), trainer, encoder);
    run.trained.putAll(StreamOffsets.fromState(checkpoint.state().consumedOffsets()));
    run.accepted.putAll(run.trained);
    run.checksum = checkpoint.state().exampleChecksum();
    run.lastCheckpoint = latest.get();
    return run;
  }

  JobSpec spec() {
    return spec;
  }

  /** False when the example was already accepted (a re-read record). */
  boolean accept(TopicPartition p, long offset, TrainingExample example) {
    if (offset < accepted.getOrDefault(p, 0L)) {
      return false;
    }
    TokenizedExample tokens = encoder.encode(new InstructionExample(example.instruction(), example.input(),
        example.output()));
    buffer.addLast(new BufferedExample(p, offset, example.exampleId(), tokens));
    accepted.put(p, offset + 1);
    return true;
  }

  /** Examples trained plus buffered: what counts against the job's budget. */
  long examplesTaken() {
    return trainer.progress().examplesSeen() + buffer.size();
  }

  boolean budgetReached() {
    return !spec.continuous() && examplesTaken() >= spec.maxExamples();
  }

  int buffered() {
    return buffer.size();
  }

  int batchSize() {
    return trainer.options().batchSize();
  }

  /** One update over the oldest buffered examples (at most a batch). */
  StepResult trainStep() {
    List<BufferedExample> batch = new ArrayList<>();
    while (!buffer.isEmpty() && batch.size() < batchSize()) {
      batch.add(buffer.removeFirst());
    }
    // Counted as consumed before the update: a diverged update still used them (and pauses the job).
    for (BufferedExample b : batch) {
      trained.put(b.partition(), b.offset() + 1);
      checksum += ExampleChecksum.of(b.exampleId());
    }
    sinceCheckpoint += batch.size();
    lastStep = trainer.step(batch.stream().map(BufferedExample::tokens).toList());
    return lastStep;
  }

  boolean checkpointDueByCount() {
    int every = spec.checkpoint().everyExamples();
    return every > 0 && sinceCheckpoint >= every;
  }

  boolean checkpointDueByTime(long nowNanos) {
    int every = spec.checkpoint().everySeconds();
    return every > 0 && (sinceCheckpoint > 0 || !buffer.isEmpty())
        && nowNanos - lastCheckpointNanos >= every * 1_000_000_000L;
  }

  boolean trainedSinceCheckpoint() {
    return sinceCheckpoint > 0;
  }

  /** Writes a durable checkpoint of everything trained so far. */
  StoredCheckpoint checkpoint(CheckpointStore store) {
    StoredCheckpoint stored = store.put(spec.jobId(), adapters, trainer.optimizer(),
        trainer.state(0, 0, StreamOffsets.toState(trained), checksum), spec.baseModel());
    sinceCheckpoint = 0;
    lastCheckpointNanos = System.nanoTime();
    lastCheckpoint = stored;
    return stored;
  }

  Optional<StoredCheckpoint> lastCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }

  /** Partitions this job has read from. */
  Set<TopicPartition> partitions() {
    return accepted.keySet();
  }

  /** Where the examples not yet in a checkpoint start, per partition. */
  Map<TopicPartition, Long> firstBuffered() {
    return StreamOffsets.firstOf(buffer);
  }

  long step() {
    return trainer.progress().step();
  }

  long examplesSeen() {
    return trainer.progress().examplesSeen();
  }

  io.moelora.events.AdapterType adapterType() {
    return "lora".equals(adapters.type().name())
        ? io.moelora.events.AdapterType.LORA : io.moelora.events.AdapterType.MOELORA;
  }

  long trainableParameters() {
    return adapters.trainableParameters(true);
  }

  /** Training metrics for the checkpoint event: the last update's losses, finite by construction. */
  Map<String, Double> checkpointMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (lastStep != null && !lastStep.skipped()) {
      m.put("loss", lastStep.loss());
      m.put("lmLoss", lastStep.lmLoss());
      m.put("contrastiveLoss", lastStep.contrastiveLoss());
      m.put("balanceLoss", lastStep.balanceLoss());
      m.put("lr", lastStep.lr());
    }
    return m;
  }

  @Override
  public void close() {
    trainer.close();
    adapters.close();
  }
}
