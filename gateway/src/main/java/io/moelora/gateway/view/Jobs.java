package io.moelora.gateway.view;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.JobEvent;
import io.moelora.events.JobSpec;
import io.moelora.events.TrainingMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every job the feed has mentioned: latest spec, lifecycle state, progress, checkpoints and recent
 * training metrics. Written by the feed thread, read by request threads; all access is
 * synchronized and reads return immutable copies.
 */
public final class Jobs {

  private final Map<String, JobEntry> jobs = new TreeMap<>();
  private final int metricsPerJob;

  /** @param metricsPerJob training-metrics records kept per job (the oldest are dropped) */
  public Jobs(int metricsPerJob) {
    this.metricsPerJob = Math.max(1, metricsPerJob);
  }

  public synchronized void spec(JobSpec spec, Instant at) {
    JobEntry job = entry(spec.jobId(), at);
    job.spec = spec;
    job.deleted = false;
  }

  public synchronized void deleted(String jobId, Instant at) {
    JobEntry job = entry(jobId, at);
    job.spec = null;
    job.deleted = true;
  }

  public synchronized void event(JobEvent event, Instant at) {
    JobEntry job = entry(event.jobId(), at);
    job.lastEvent = event;
    job.progress(event.step(), event.examplesSeen());
  }

  /**
   * Records a checkpoint; false when the same checkpoint was already known (the trainer announces a
   * checkpoint again after a crash between writing and announcing it).
   */
  public synchronized boolean checkpoint(CheckpointPublished checkpoint, Instant at) {
    JobEntry job = entry(checkpoint.jobId(), at);
    job.progress(checkpoint.step(), checkpoint.examplesSeen());
    return !checkpoint.equals(job.checkpoints.put(checkpoint.checkpointId(), checkpoint));
  }

  public synchronized void metrics(TrainingMetrics metrics, Instant at) {
    JobEntry job = entry(metrics.jobId(), at);
    job.progress(metrics.step(), 0);
    job.metrics.addLast(metrics);
    while (job.metrics.size() > metricsPerJob) {
      job.metrics.removeFirst();
    }
  }

  public synchronized void evalProgress(EvalProgress progress, Instant at) {
    entry(progress.jobId(), at).lastEvalProgress = progress;
  }

  /** The job, with its best checkpoint looked up by {@code best}. */
  public synchronized Optional<JobView> get(String jobId, Function<String, JobView.BestCheckpoint> best) {
    return Optional.ofNullable(jobs.get(jobId)).map(j -> view(j, best));
  }

  /** All jobs by id. */
  public synchronized List<JobView> all(Function<String, JobView.BestCheckpoint> best) {
    return jobs.values().stream().map(j -> view(j, best)).toList();
  }

  /** The job's checkpoints in training order (step, then examples seen); empty for an unknown job. */
  public synchronized List<CheckpointPublished> checkpoints(String jobId) {
    JobEntry job = jobs.get(jobId);
    if (job == null) {
      return List.of();
    }
    var list = new ArrayList<>(job.checkpoints.values());
    list.sort(CHECKPOINT_ORDER);
    return List.copyOf(list);
  }

  /** The job's kept metrics with step > {@code sinceStep}, oldest first, at most {@code limit}. */
  public synchronized List<TrainingMetrics> metrics(String jobId, long sinceStep, int limit) {
    JobEntry job = jobs.get(jobId);
    if (job == null) {
      return List.of();
    }
    return job.metrics.stream().filter(m -> m.step() > sinceStep).limit(limit).toList();
  }

  /** Training order of a job's checkpoints; skipped updates consume examples without a step. */
  public static final java.util.Comparator<CheckpointPublished> CHECKPOINT_ORDER =
      java.util.Comparator.comparingLong(CheckpointPublished::step)
          .thenComparingLong(CheckpointPublished::examplesSeen)
          .thenComparing(CheckpointPublished::checkpointId);

  private JobEntry entry(String jobId, Instant at) {
    JobEntry job = jobs.computeIfAbsent(jobId, JobEntry::new);
    job.touched(at);
    return job;
  }

  private static JobView view(JobEntry j, Function<String, JobView.BestCheckpoint> best) {
    String latest = j.checkpoints.values().stream().max(CHECKPOINT_ORDER)
        .map(CheckpointPublished::checkpointId).orElse(null);
    return new JobView(j.jobId, j.state(), j.lastEvent == null ? null : j.lastEvent.reason(), j.spec, j.step,
        j.examplesSeen, j.checkpoints.size(), latest, best.apply(j.jobId), j.lastEvalProgress, j.updatedAt);
  }
}
