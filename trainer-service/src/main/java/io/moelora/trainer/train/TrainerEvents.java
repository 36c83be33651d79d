package io.moelora.trainer.train;

import io.moelora.core.adapter.RoutingStats;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.core.train.StepResult;
import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventSchema;
import io.moelora.events.JobEvent;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.TrainingMetrics;
import io.moelora.messaging.EventPublisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** What the trainer tells the world: lifecycle events, metrics and checkpoints, keyed by job. */
public final class TrainerEvents {

  static final String SOURCE = "trainer";
  private static final Logger LOG = Logger.getLogger(TrainerEvents.class);

  private final EventPublisher publisher;

  public TrainerEvents(EventPublisher publisher) {
    this.publisher = publisher;
  }

  EventPublisher publisher() {
    return publisher;
  }

  /** Lifecycle events are informational: a failure to send one is logged, never fatal. */
  void lifecycle(String jobId, JobState state, String reason, long step, long examples, String checkpointId) {
    LOG.infof("Job %s %s: %s", jobId, state.jsonName(), reason);
    try {
      publisher.publish(Topics.JOB_EVENTS, JobEvent.of(jobId, state, reason, step, examples, checkpointId, SOURCE));
    } catch (RuntimeException e) {
      LOG.warnf("Cannot publish job event for %s: %s", jobId, e.getMessage());
    }
  }

  /** Announces a durable checkpoint and waits for the broker, so a crash after it loses nothing. */
  void checkpoint(StoredCheckpoint stored, long examplesSeen, AdapterType type, long trainableParams,
      Map<String, Double> metrics) {
    publisher.publishAndWait(Topics.CHECKPOINTS, new CheckpointPublished(EventSchema.CURRENT, stored.jobId(),
        stored.checkpointId(), stored.step(), examplesSeen, stored.uri().toString(), stored.checkpointId(), type,
        trainableParams, metrics, Instant.now()));
  }

  void metrics(String jobId, StepResult r) {
    Map<String, List<Double>> load = new LinkedHashMap<>();
    Map<String, Double> entropy = new LinkedHashMap<>();
    for (RoutingStats s : r.routing()) {
      long total = 0;
      for (long c : s.top1Counts()) {
        total += c;
      }
      List<Double> shares = new ArrayList<>();
      for (long c : s.top1Counts()) {
        shares.add(total == 0 ? 0.0 : (double) c / total);
      }
      load.put(s.key(), shares);
      entropy.put(s.key(), s.meanGateEntropy());
    }
    try {
      publisher.publish(Topics.TRAINING_METRICS, new TrainingMetrics(EventSchema.CURRENT, jobId, r.step(),
          r.loss(), r.lmLoss(), r.contrastiveLoss(), r.balanceLoss(), r.lr(), r.tokensPerSecond(), load, entropy,
          Instant.now()));
    } catch (RuntimeException e) {
      LOG.warnf("Cannot publish training metrics for %s: %s", jobId, e.getMessage());
    }
  }
}
