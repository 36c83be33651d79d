package io.moelora.trainer.messaging;

import io.moelora.events.JobSpec;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.JobEvent;
import io.moelora.messaging.InboundEvents;
import io.moelora.trainer.TrainerRuntime;
import io.moelora.trainer.service.JobChecks;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Judges each job spec once per consumer group: valid specs are announced as accepted; specs this
 * deployment cannot train (unknown model, path outside the model directory, unknown suite...) are
 * rejected to the DLQ with the reason and announced as rejected. Training itself reads specs from
 * the {@link io.moelora.messaging.JobDirectory}, which every replica keeps whole.
 */
@ApplicationScoped
public class JobConsumer {

  private static final Logger LOG = Logger.getLogger(JobConsumer.class);

  private final InboundEvents inbound;
  private final TrainerRuntime runtime;

  JobConsumer(InboundEvents inbound, TrainerRuntime runtime) {
    this.inbound = inbound;
    this.runtime = runtime;
  }

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
    Optional<String> problem = JobChecks.problem(job, runtime.settings().modelDir());
    if (problem.isPresent()) {
      publish(job, JobState.REJECTED, problem.get());
      // Thrown: the connector sends the record to the DLQ with this message as the reason.
      throw new IllegalArgumentException("job " + job.jobId() + " rejected: " + problem.get());
    }
    publish(job, JobState.ACCEPTED, job.adapter().type().jsonName() + " rank " + job.adapter().rank() + " x "
        + job.adapter().experts() + " experts on " + job.baseModel() + ", targets " + job.adapter().targets()
        + (job.continuous() ? ", continuous" : ", " + job.maxExamples() + " examples"));
  }

  private void publish(JobSpec job, JobState state, String reason) {
    LOG.infof("Job %s %s: %s", job.jobId(), state.jsonName(), reason);
    runtime.publisher().publish(Topics.JOB_EVENTS, JobEvent.of(job.jobId(), state, reason, 0, 0, null, "trainer"));
  }
}
