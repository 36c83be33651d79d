package io.moelora.eval.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.eval.config.EvalServiceConfig;
import io.moelora.eval.messaging.CheckpointConsumer;
import io.moelora.eval.messaging.CheckpointOutcomes;
import io.moelora.eval.messaging.CommitLedger;
import io.moelora.eval.messaging.PendingCheckpoints;
import io.moelora.eval.messaging.PublishedResults;
import io.moelora.messaging.EventPublisher;
import io.moelora.messaging.InboundEvents;
import io.moelora.messaging.JobDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts and stops the evaluator: the jobs directory and the published-results index (both read
 * whole topics), the checkpoint consumer thread and the one evaluation thread. Owns every Kafka
 * client and every model of the service.
 */
@ApplicationScoped
public class EvalService {

  private static final Logger LOG = Logger.getLogger(EvalService.class);

  private final EvalServiceConfig config;
  private final String bootstrap;
  private final InboundEvents inbound;
  private final MeterRegistry registry;

  private final PendingCheckpoints pending = new PendingCheckpoints();
  private final CommitLedger ledger = new CommitLedger();
  private volatile boolean stopping;
  private EventPublisher publisher;
  private JobDirectory jobs;
  private PublishedResults results;
  private BaseModels models;
  private volatile EvalWorker worker;
  // Written last on start: once the health check sees it, everything above is set.
  private volatile CheckpointConsumer consumer;

  EvalService(EvalServiceConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      InboundEvents inbound, MeterRegistry registry) {
    this.config = config;
    this.bootstrap = bootstrap;
    this.inbound = inbound;
    this.registry = registry;
  }

  void start(@Observes StartupEvent event) {
    CheckpointOutcomes outcomes = new CheckpointOutcomes(registry, pending);
    publisher = new EventPublisher(bootstrap, "moelora-eval-publisher");
    jobs = new JobDirectory(bootstrap, "moelora-eval-jobs").start();
    results = new PublishedResults(bootstrap, "moelora-eval-results").start();
    models = new BaseModels(config.modelDir(), config.eval().cachedBaseModels());
    CheckpointStore store = new CheckpointStore(config.checkpointDir());
    CheckpointEvaluator.Settings settings = new CheckpointEvaluator.Settings(config.dataDir().orElse(null),
        config.eval().defaultSuites(), config.eval().progressEvery(), config.eval().jobLookupTimeout());
    CheckpointEvaluator evaluator = new CheckpointEvaluator(settings, jobs, results, publisher, models,
        new CheckpointVerifier(store), outcomes, () -> stopping);
    worker = new EvalWorker(pending, evaluator, ledger::finished).start();
    consumer = new CheckpointConsumer(bootstrap, inbound, publisher, pending, ledger, results, outcomes).start();
    LOG.infof("Evaluating checkpoints from store %s (models %s, data %s)", store.root(), config.modelDir(),
        config.dataDir().map(Object::toString).orElse("none: built-in suites only"));
  }

  void stop(@Observes ShutdownEvent event) {
    // The evaluator ends at its next step (the checkpoint in progress stays uncommitted and is read
    // again after restart); the consumer goes second, so its final commit covers all finished work.
    stopping = true;
    boolean idle = worker == null || worker.stop(Duration.ofSeconds(30));
    if (consumer != null) {
      consumer.close();
    }
    for (AutoCloseable client : new AutoCloseable[] {publisher, results, jobs}) {
      closeQuietly(client);
    }
    if (idle) {
      closeQuietly(models);
    } else {
      LOG.warn("Evaluator still busy at shutdown; its models are left to the process exit");
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warnf("Closing %s: %s", closeable.getClass().getSimpleName(), e.toString());
    }
  }

  /** For the readiness check: which parts are not working yet, empty when all are. */
  public String notReady() {
    if (consumer == null || worker == null) {
      return "not started";
    }
    if (!results.alive()) {
      return "published-results reader stopped";
    }
    if (!results.ready()) {
      return "reading published results";
    }
    if (!consumer.alive()) {
      return "checkpoint consumer stopped";
    }
    if (!worker.alive()) {
      return "evaluator thread stopped";
    }
    return "";
  }

  /** Checkpoints waiting for the evaluator. */
  public int pendingCheckpoints() {
    return pending.size();
  }

  /** Checkpoint records read and not finished yet (pending or being evaluated). */
  public int openRecords() {
    return ledger.openCount();
  }
}
