package io.moelora.trainer.messaging;

import io.moelora.events.TrainingExample;
import io.moelora.messaging.InboundEvents;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads training examples. For now each record is validated and logged; buffering them into
 * batches of their job's training run comes with the trainer.
 */
@ApplicationScoped
public class TrainingExampleConsumer {

  private static final Logger LOG = Logger.getLogger(TrainingExampleConsumer.class);

  private final InboundEvents inbound;

  TrainingExampleConsumer(InboundEvents inbound) {
    this.inbound = inbound;
  }

  // Blocking and ordered (the default): examples of a partition reach the trainer in order.
  @Incoming(Channels.TRAINING_EXAMPLES)
  @Blocking
  public void consume(ConsumerRecord<String, String> record) {
    TrainingExample example = inbound.parse(record, TrainingExample.class);
    // One record per example: DEBUG, or operators drown in them (the counter shows the rate).
    LOG.debugf("Example %s of job %s (%s)", example.exampleId(), example.jobId(),
        example.task() != null ? example.task() : "no task");
  }
}
