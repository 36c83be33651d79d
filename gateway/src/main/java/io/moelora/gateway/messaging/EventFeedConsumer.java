package io.moelora.gateway.messaging;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalResult;
import io.moelora.events.JobSpec;
import io.moelora.events.TrainingMetrics;
import io.moelora.messaging.InboundEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the event streams the gateway serves. For now each record is validated and logged;
 * the views built from them (job list, curves, leaderboards) come with the REST/SSE API.
 *
 * <p>Plain synchronous methods: Quarkus infers a blocking signature and calls them on a worker
 * thread, never on the connector's event loop. A thrown {@code EventFormatException} nacks the
 * record, which the channel's failure strategy sends to the DLQ.
 */
@ApplicationScoped
public class EventFeedConsumer {

  private static final Logger LOG = Logger.getLogger(EventFeedConsumer.class);

  private final InboundEvents inbound;

  EventFeedConsumer(InboundEvents inbound) {
    this.inbound = inbound;
  }

  @Incoming(Channels.JOBS)
  public void job(ConsumerRecord<String, String> record) {
    // The jobs topic is compacted: a null value is a deletion marker, not a malformed record.
    if (record.value() == null) {
      inbound.count(record.topic(), "tombstone");
      LOG.infof("Job %s deleted (tombstone)", record.key());
      return;
    }
    JobSpec job = inbound.parse(record, JobSpec.class);
    LOG.infof("Job %s: %s adapter on %s", job.jobId(), job.adapter().type().jsonName(),
        job.baseModel());
  }

  @Incoming(Channels.CHECKPOINTS)
  public void checkpoint(ConsumerRecord<String, String> record) {
    CheckpointPublished checkpoint = inbound.parse(record, CheckpointPublished.class);
    LOG.infof("Checkpoint %s of job %s at step %d", checkpoint.checkpointId(),
        checkpoint.jobId(), checkpoint.step());
  }

  // One record per optimizer step: DEBUG, or operators drown in them.
  @Incoming(Channels.TRAINING_METRICS)
  public void trainingMetrics(ConsumerRecord<String, String> record) {
    TrainingMetrics metrics = inbound.parse(record, TrainingMetrics.class);
    LOG.debugf("Metrics of job %s at step %d: loss %.4f", metrics.jobId(), metrics.step(),
        metrics.loss());
  }

  @Incoming(Channels.EVAL_RESULTS)
  public void evalResult(ConsumerRecord<String, String> record) {
    EvalResult result = inbound.parse(record, EvalResult.class);
    LOG.infof("Eval of job %s checkpoint %s on %s: %.2f%% (%d/%d)", result.jobId(),
        result.checkpointId(), result.suite(), result.accuracy(), result.correct(), result.n());
  }
}
