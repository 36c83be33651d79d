package io.moelora.eval.service;

import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.eval.EvalRunner;
import io.moelora.core.eval.Suite;
import io.moelora.core.eval.SuiteLoader;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteScore;
import io.moelora.core.eval.SuiteSpec;
import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.io.LoadedModel;
import io.moelora.eval.messaging.CheckpointDelivery;
import io.moelora.eval.messaging.CheckpointOutcomes;
import io.moelora.eval.messaging.PublishedResults;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EvalSpec;
import io.moelora.events.EventSchema;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.messaging.EventPublisher;
import io.moelora.messaging.JobDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Handles one checkpoint on the evaluator thread: finds its job (unknown: DLQ), works out which of the
 * job's suites still lack a result, verifies the checkpoint against its digest (mismatch: refused),
 * and scores each missing suite, publishing progress and then one {@link EvalResult} per suite. A
 * result is durable before the next suite starts, so a crash costs at most the suite in progress.
 */
final class CheckpointEvaluator {

  /** What {@link #evaluate} needs besides the delivery. */
  record Settings(Path dataDir, String defaultSuites, int progressEvery, Duration jobLookupTimeout) {

    Settings {
      if (progressEvery < 1) {
        throw new IllegalArgumentException("moelora.eval.progress-every must be >= 1, got " + progressEvery);
      }
    }
  }

  private static final Logger LOG = Logger.getLogger(CheckpointEvaluator.class);
  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final Settings settings;
  private final JobDirectory jobs;
  private final PublishedResults results;
  private final EventPublisher publisher;
  private final BaseModels models;
  private final CheckpointVerifier verifier;
  private final CheckpointOutcomes outcomes;
  private final BooleanSupplier stopping;
  private final SuiteRegistry registry = SuiteRegistry.standard();

  CheckpointEvaluator(Settings settings, JobDirectory jobs, PublishedResults results, EventPublisher publisher,
      BaseModels models, CheckpointVerifier verifier, CheckpointOutcomes outcomes, BooleanSupplier stopping) {
    this.settings = settings;
    this.jobs = jobs;
    this.results = results;
    this.publisher = publisher;
    this.models = models;
    this.verifier = verifier;
    this.outcomes = outcomes;
    this.stopping = stopping;
  }

  /**
   * Evaluates, refuses or dead-letters {@code delivery}; when this returns, its work is finished.
   *
   * @throws CancellationException when the service stops first (the checkpoint is read again later)
   */
  void evaluate(CheckpointDelivery delivery) {
    CheckpointPublished checkpoint = delivery.checkpoint();
    Optional<JobSpec> job = jobs.awaitJob(checkpoint.jobId(), settings.jobLookupTimeout());
    if (job.isEmpty()) {
      durably(() -> publisher.deadLetter(delivery.record(), "unknown job '" + checkpoint.jobId()
          + "': no valid spec on " + Topics.JOBS));
      outcomes.count(CheckpointOutcomes.DEAD_LETTERED);
      return;
    }
    EvalPlan plan = EvalPlan.of(job.get().eval(), settings.defaultSuites(), registry);
    if (!results.awaitCaughtUp(CATCH_UP)) {
      LOG.warnf("Evaluating %s without the latest results of other replicas", delivery.describe());
    }
    List<SuiteSpec> missing = plan.suites().stream()
        .filter(s -> !results.contains(checkpoint.jobId(), checkpoint.checkpointId(), s.name())).toList();
    if (missing.isEmpty() && plan.unknown().isEmpty()) {
      LOG.infof("%s already has every result; nothing to do", delivery.describe());
      outcomes.count(CheckpointOutcomes.ALREADY_EVALUATED);
      return;
    }
    plan.unknown().forEach((name, reason) -> refuse(checkpoint, name, reason));
    if (missing.isEmpty()) {
      outcomes.count(CheckpointOutcomes.REFUSED);
      return;
    }
    try {
      LoadedModel base = models.get(job.get().baseModel());
      try (LoadedCheckpoint adapter = verifier.open(checkpoint, base.model())) {
        if (!adapter.baseModel().equals(job.get().baseModel())) {
          LOG.warnf("%s was trained on base '%s' but job %s names '%s'; evaluating on the job's", delivery.describe(),
              adapter.baseModel(), checkpoint.jobId(), job.get().baseModel());
        }
        EvalRunner runner = runner(base, adapter, plan);
        int scored = 0;
        for (SuiteSpec suite : missing) {
          scored += evaluateSuite(delivery, plan, runner, suite) ? 1 : 0;
        }
        outcomes.count(scored == missing.size() && plan.unknown().isEmpty()
            ? CheckpointOutcomes.EVALUATED : CheckpointOutcomes.REFUSED);
      }
    } catch (RefusedException e) {
      LOG.warnf("Refused %s: %s", delivery.describe(), e.getMessage());
      refuse(checkpoint, null, e.getMessage());
      outcomes.count(CheckpointOutcomes.REFUSED);
    }
  }

  private static EvalRunner runner(LoadedModel base, LoadedCheckpoint adapter, EvalPlan plan) throws RefusedException {
    try {
      return new EvalRunner(base, AdapterProvider.eval(adapter.adapters()), plan.settings());
    } catch (IllegalArgumentException e) {
      throw new RefusedException("cannot evaluate on this base model: " + e.getMessage(), e);
    }
  }

  /** Scores one suite and publishes its result; false when the suite was refused. */
  private boolean evaluateSuite(CheckpointDelivery delivery, EvalPlan plan, EvalRunner runner, SuiteSpec spec) {
    CheckpointPublished checkpoint = delivery.checkpoint();
    String suiteName = spec.name();
    Suite suite;
    try {
      suite = SuiteLoader.load(settings.dataDir(), spec);
    } catch (IllegalArgumentException e) {
      refuse(checkpoint, suiteName, e.getMessage());
      return false;
    }
    int total = plan.settings().items(suite.size());
    progress(checkpoint, suiteName, EvalProgress.Kind.STARTED, 0, total, "evaluating " + suiteName + ": " + total
        + " items, " + plan.decoding().jsonName() + " decoding");
    long start = System.nanoTime();
    int[] reported = {0};
    EvalRunner.SuiteRun run;
    try {
      run = runner.run(suite, done -> {
        if (stopping.getAsBoolean()) {
          throw new CancellationException("eval-service is stopping");
        }
        if (done < total && done - reported[0] >= settings.progressEvery()) {
          reported[0] = done;
          progress(checkpoint, suiteName, EvalProgress.Kind.PROGRESS, done, total, done + " of " + total + " items");
        }
      });
    } catch (CancellationException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.errorf(e, "Evaluating %s on %s failed", delivery.describe(), suiteName);
      refuse(checkpoint, suiteName, "evaluation failed: " + e);
      return false;
    }
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    SuiteScore score = run.scores().get(0);
    EvalResult result = new EvalResult(EventSchema.CURRENT, checkpoint.jobId(), checkpoint.checkpointId(), suiteName,
        score.suiteVersion(), score.n(), score.correct(), EvalResult.accuracyOf(score.correct(), score.n()),
        score.extractor(), plan.decoding(), score.protocolVersion(), durationMs);
    durably(() -> publisher.publishAndWait(Topics.EVAL_RESULTS, result));
    results.add(checkpoint.jobId(), checkpoint.checkpointId(), suiteName);
    String summary = String.format("%s: %.2f %% (%d/%d, %s) in %.1f s", suiteName, result.accuracy(),
        result.correct(), result.n(), result.extractor(), durationMs / 1000.0);
    durably(() -> publisher.publishAndWait(Topics.EVAL_PROGRESS, EvalProgress.of(checkpoint.jobId(),
        checkpoint.checkpointId(), suiteName, EvalProgress.Kind.FINISHED, result.n(), result.n(), summary)));
    LOG.infof("Evaluated %s: %s", delivery.describe(), summary);
    return true;
  }

  /** A progress event, sent without waiting: a lost one is harmless. */
  private void progress(CheckpointPublished c, String suite, EvalProgress.Kind kind, int done, int total,
      String message) {
    try {
      publisher.publish(Topics.EVAL_PROGRESS, EvalProgress.of(c.jobId(), c.checkpointId(), suite, kind, done, total,
          message));
    } catch (RuntimeException e) {
      LOG.warnf("Progress event not sent: %s", e.toString());
    }
  }

  private void refuse(CheckpointPublished c, String suite, String reason) {
    // A name from the service's own default-suites setting may not be a valid suite field.
    String field = suite != null && EvalSpec.SUITE_NAME.matcher(suite).matches() ? suite : null;
    String why = reason == null || reason.isBlank() ? "refused without a reason" : reason;
    String message = suite != null && field == null ? "suite '" + suite + "': " + why : why;
    durably(() -> publisher.publishAndWait(Topics.EVAL_PROGRESS, EvalProgress.of(c.jobId(), c.checkpointId(), field,
        EvalProgress.Kind.REFUSED, 0, 0, message)));
  }

  /**
   * Runs a publication until the broker has it. The evaluator cannot finish a checkpoint without its
   * events, and nothing else can progress while the broker refuses writes, so it waits here.
   */
  private void durably(Runnable publication) {
    while (true) {
      try {
        publication.run();
        return;
      } catch (IllegalStateException e) {
        if (stopping.getAsBoolean()) {
          throw new CancellationException("eval-service is stopping: " + e.getMessage());
        }
        LOG.warnf("%s; retrying in %s", e.getMessage(), RETRY);
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new CancellationException("interrupted while publishing");
        }
      }
    }
  }
}
