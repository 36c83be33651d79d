package io.moelora.trainer.messaging;

import io.moelora.events.JobSpec;
import io.moelora.messaging.InboundEvents;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads job specs. For now each record is validated and logged; starting, updating and
 * resuming training runs from them comes with the trainer.
 */
@ApplicationScoped
public class JobConsumer {

  private static final Logger LOG = Logger.getLogger(JobConsumer.class);

  private final InboundEvents inbound;

  JobConsumer(InboundEvents inbound) {
    this.inbound = inbound;
  }

  // Blocking: job handling will load models, which must never run on the Kafka event loop.
  @Incoming(Channels.JOBS)
  @Blocking
  public void consume(ConsumerRecord<String, String> record) {
    // The jobs topic is compacted: a null value is a deletion marker, not a malformed record.
    if (record.value() == null) {
      inbound.count(record.topic(), "tombstone");
      LOG.infof("Job %s deleted (tombstone)", record.key());
      return;
    }
    JobSpec job = inbound.parse(record, JobSpec.class);
    LOG.infof("Job %s: %s adapter rank %d x %d experts on %s, targets %s", job.jobId(),
        job.adapter().type().jsonName(), job.adapter().rank(), job.adapter().experts(),
        job.baseModel(), job.adapter().targets());
  }
}
