package io.moelora.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.events.AdapterSpec;
import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobSpec;
import io.moelora.events.JobState;
import io.moelora.events.OptimizerSpec;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.kafkalocal.testing.TopicLog;
import io.moelora.reliability.support.CrashJobs;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.Stack;
import io.moelora.reliability.support.TrainingAudit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8.6: a job whose settings are valid but absurd — the largest learning rate and adapter
 * scale the spec accepts — is driven to non-finite values by the packaged trainer. It must be paused
 * with an event that says why, and nothing non-finite may ever be checkpointed or announced.
 */
class DivergenceIT {

  private static final String SCENARIO = "6 divergence";
  private static final String JOB = "diverge-job";
  private static final int N = 200;
  private static final Duration WAIT = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void anAbsurdJobIsPausedAndNoNonFiniteCheckpointIsPublished() throws Exception {
    // lr 1 (the spec's maximum) with no warm-up and alpha 1e6 (its maximum) alone do not diverge:
    // gradient clipping, AdamW's normalised steps and the base model's RMSNorm keep every value
    // finite (a run of 200 examples completes). A contrastive temperature of 1e-300, also accepted
    // (any tau in (0, 100]), is what drives it to NaN: 1/tau overflows float32, so the expert
    // contrastive loss is non-finite from the first update.
    AdapterSpec absurd = new AdapterSpec(AdapterType.MOELORA, 2, 1e6, 2, 1, List.of("q_proj", "v_proj"), 0.0, 0.1,
        1e-300, 16, 0.01);
    JobSpec spec = CrashJobs.withTraining(CrashJobs.small(JOB, 8, N, 4), new OptimizerSpec(1.0, 0, 0.0), absurd);
    try (Stack stack = Stack.start(dir);
        TopicLog events = new TopicLog(stack.bootstrap(), Topics.JOB_EVENTS);
        TopicLog checkpoints = new TopicLog(stack.bootstrap(), Topics.CHECKPOINTS);
        ServiceProcess trainer = stack.trainer("diverge-trainer", Map.of("MOELORA_TRAINER_KEEP_LAST", "1000"))) {
      TestKafkaClients.send(stack.bootstrap(), Topics.JOBS, JOB, EventCodec.toJson(spec));
      TestKafkaClients.sendAll(stack.bootstrap(), Topics.TRAINING_EXAMPLES, CrashJobs.examples(JOB, "ex", 0, N));

      JobEvent outcome = event(events.awaitFirst(WAIT, r -> JOB.equals(r.key())
          && List.of(JobState.PAUSED, JobState.COMPLETED, JobState.FAILED).contains(event(r).state())));
      boolean paused = outcome.state() == JobState.PAUSED;
      Figures.record(SCENARIO, "job paused (lr 1, alpha 1e6, tau 1e-300)", paused ? "yes" : "no: " + outcome.state(), "yes");
      Figures.record(SCENARIO, "pause reason", outcome.reason(), "report");
      Figures.record(SCENARIO, "examples trained when paused", outcome.examplesSeen() + " of " + N, "report");
      assertThat(outcome.state()).as("the job's outcome: %s", outcome.reason()).isEqualTo(JobState.PAUSED);
      assertThat(outcome.reason()).containsAnyOf("non-finite", "diverg");

      // The trainer's tick may re-announce; give the topic a moment, then check every announcement.
      Thread.sleep(1500);
      Path store = stack.state().resolve("checkpoints");
      List<CheckpointPublished> announced = TrainingAudit.announced(checkpoints, JOB, store);
      TrainingAudit.Audit audit = TrainingAudit.verify(store, announced);
      List<StoredCheckpoint> stored = new CheckpointStore(store).list(JOB);
      long storedNonFinite = stored.stream().filter(c -> !TrainingAudit.finite(c.path())).count();
      Figures.record(SCENARIO, "checkpoints published", audit.announced(), "report");
      Figures.record(SCENARIO, "published checkpoints that load and match their digest", audit.verified(),
          "= " + audit.announced());
      Figures.record(SCENARIO, "non-finite checkpoints (published / in the store)", audit.nonFinite() + " / "
          + storedNonFinite, "0 / 0");
      assertThat(audit.problems()).isEmpty();
      assertThat(audit.announced()).isPositive();
      assertThat(audit.nonFinite()).isZero();
      assertThat(storedNonFinite).isZero();
      assertThat(announced).allSatisfy(c -> assertThat(c.examplesSeen()).isLessThanOrEqualTo(outcome.examplesSeen()));
      assertThat(trainer.alive()).as("the trainer keeps running (see %s)", trainer.log()).isTrue();
      trainer.stop();
    }
  }

  private static JobEvent event(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), JobEvent.class);
  }
}
