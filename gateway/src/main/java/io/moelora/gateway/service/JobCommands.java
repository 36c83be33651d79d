package io.moelora.gateway.service;

import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.config.GatewayConfig;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.view.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Job writes: specs are published to the compacted jobs topic, where the trainer (and every other
 * service) picks them up. Job control maps onto what the trainer does with spec changes:
 * <ul>
 * <li>complete: the spec again with {@code maxExamples} = the examples the job has trained so far.
 * The trainer finishes what it has buffered, writes a checkpoint and, from then on, rejects the
 * job's new examples to the DLQ; it reports {@code completed} when it next handles the job.</li>
 * <li>resume: a completed job's spec again with {@code maxExamples} = 0 (continuous): it trains on
 * the examples that arrive from now on (those rejected while completed stay in the DLQ). A paused or
 * failed job resumes when its spec <em>changes</em> (the trainer ignores an identical spec), so
 * resume answers 409 and says to submit the changed spec.</li>
 * <li>pause: the spec again with {@code paused} true: the trainer checkpoints what it has and holds
 * the job's examples unconsumed; resume publishes {@code paused} false and the trainer re-reads them
 * from its last checkpoint.</li>
 * </ul>
 */
@ApplicationScoped
public class JobCommands {

  private static final Logger LOG = Logger.getLogger(JobCommands.class);
  private static final Set<String> CANNOT_COMPLETE = Set.of("completed", "rejected", "deleted");

  private final GatewayRuntime runtime;
  private final GatewayConfig config;

  JobCommands(GatewayRuntime runtime, GatewayConfig config) {
    this.runtime = runtime;
    this.config = config;
  }

  /** A job created or updated, as the views show it once they have read it back. */
  public record Submitted(JobView job, boolean created, boolean visible) {}

  /** Validates and publishes a JSON spec, then waits (bounded) until this replica's views show it. */
  public Submitted submit(String body) {
    return submit(body, false);
  }

  /**
   * Validates and publishes a spec, JSON or (when {@code yaml}) YAML as in the recipe files, then
   * waits (bounded) until this replica's views show it.
   */
  public Submitted submit(String body, boolean yaml) {
    JobSpec spec = yaml ? JobSpecReader.readYaml(body) : JobSpecReader.read(body);
    boolean created = find(spec.jobId()).map(j -> j.spec() == null).orElse(true);
    boolean visible = publish(spec);
    LOG.infof("Job %s %s through the API", spec.jobId(), created ? "created" : "updated");
    JobView view = find(spec.jobId()).orElseGet(() -> new JobView(spec.jobId(), "submitted", null, spec, 0, 0, 0,
        null, null, null, null));
    return new Submitted(view, created, visible);
  }

  public ControlOutcome complete(String jobId) {
    JobView job = existing(jobId);
    if (CANNOT_COMPLETE.contains(job.state())) {
      throw ApiException.conflict("job " + jobId + " is " + job.state() + "; only a job that can still train can be"
          + " completed");
    }
    if (job.examplesSeen() == 0) {
      throw ApiException.conflict("job " + jobId + " has trained no examples yet, and maxExamples 0 means"
          + " continuous; push examples first, or delete the job");
    }
    JobSpec spec = job.spec().withMaxExamples(job.examplesSeen());
    publish(spec);
    return new ControlOutcome(jobId, "complete", spec, "maxExamples set to the " + job.examplesSeen()
        + " examples trained so far: the trainer checkpoints what it has buffered and then rejects the job's new"
        + " examples; it reports 'completed' when it next handles the job");
  }

  public ControlOutcome resume(String jobId) {
    JobView job = existing(jobId);
    if (job.spec().paused()) {
      JobSpec spec = job.spec().withPaused(false);
      publish(spec);
      return new ControlOutcome(jobId, "resume", spec, "spec published with paused: false: the trainer resumes the"
          + " job from its last checkpoint and trains the examples held while it was paused");
    }
    switch (job.state()) {
      case "completed" -> {
        JobSpec spec = job.spec().withMaxExamples(0);
        publish(spec);
        return new ControlOutcome(jobId, "resume", spec, "maxExamples cleared (continuous): the job trains on the"
            + " examples that arrive from now on; those rejected while it was completed stay in the DLQ");
      }
      case "paused", "failed" -> throw ApiException.conflict("job " + jobId + " is " + job.state() + ": the trainer"
          + " resumes it from its last checkpoint when its spec changes (it ignores the same spec again);"
          + " POST /api/jobs with the changed spec, e.g. a lower optimizer.lr after a divergence");
      default -> throw ApiException.conflict("job " + jobId + " is " + job.state() + ", not completed, paused or"
          + " failed: there is nothing to resume");
    }
  }

  public ControlOutcome pause(String jobId) {
    JobView job = existing(jobId);
    if (CANNOT_COMPLETE.contains(job.state())) {
      throw ApiException.conflict("job " + jobId + " is " + job.state() + "; only a job that can still train can be"
          + " paused");
    }
    if (job.spec().paused()) {
      throw ApiException.conflict("job " + jobId + " is already paused by its spec");
    }
    JobSpec spec = job.spec().withPaused(true);
    publish(spec);
    return new ControlOutcome(jobId, "pause", spec, "spec published with paused: true: the trainer trains what it has"
        + " buffered, writes a checkpoint and holds the job's new examples unconsumed until it is resumed");
  }

  private JobView existing(String jobId) {
    JobView job = find(jobId).orElseThrow(() -> ApiException.notFound("no job " + jobId));
    if (job.spec() == null) {
      throw ApiException.conflict("job " + jobId + " is " + job.state() + ": it has no spec to change");
    }
    return job;
  }

  private Optional<JobView> find(String jobId) {
    return runtime.node().jobs().get(jobId, runtime.node().boards()::best);
  }

  // True when this replica's views show the record before the visibility timeout.
  private boolean publish(JobSpec spec) {
    RecordMetadata meta;
    try {
      meta = runtime.publisher().publishAndWait(Topics.JOBS, spec);
    } catch (IllegalStateException e) {
      throw ApiException.unavailable("could not publish job " + spec.jobId() + ": " + e.getMessage());
    }
    return runtime.node().feed().awaitApplied(meta.topic(), meta.partition(), meta.offset(),
        config.feed().writeVisibilityTimeout());
  }
}
