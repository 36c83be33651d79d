package io.moelora.eval.messaging;

import io.moelora.events.CheckpointPublished;
import io.moelora.messaging.InboundEvents;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads published checkpoints. For now each record is validated and logged; verifying the
 * blob's hash and scoring the suites comes with the evaluator.
 */
@ApplicationScoped
public class CheckpointConsumer {

  private static final Logger LOG = Logger.getLogger(CheckpointConsumer.class);

  private final InboundEvents inbound;

  CheckpointConsumer(InboundEvents inbound) {
    this.inbound = inbound;
  }

  // Blocking: checkpoint handling will read blobs from the store, never on the event loop.
  @Incoming(Channels.CHECKPOINTS)
  @Blocking
  public void consume(ConsumerRecord<String, String> record) {
    CheckpointPublished checkpoint = inbound.parse(record, CheckpointPublished.class);
    LOG.infof("Checkpoint %s of job %s at step %d (%d examples, %s, sha256 %s)",
        checkpoint.checkpointId(), checkpoint.jobId(), checkpoint.step(),
        checkpoint.examplesSeen(), checkpoint.uri(), checkpoint.sha256().substring(0, 12));
  }
}
