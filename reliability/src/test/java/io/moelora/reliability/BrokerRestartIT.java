package io.moelora.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.checkpoint.CheckpointFiles;
import io.moelora.core.train.ExampleChecksum;
import io.moelora.core.train.TrainingState;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.kafkalocal.testing.TopicLog;
import io.moelora.reliability.support.CrashJobs;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.Stack;
import io.moelora.reliability.support.TrainingAudit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8.3: the broker is stopped for a few seconds and started again on the same ports and data,
 * once while the packaged trainer trains and once while the packaged evaluator scores a checkpoint.
 * Neither service is restarted: both must carry on by themselves, the job must train exactly the
 * examples produced, and every (checkpoint, suite) evaluated must be published once.
 */
class BrokerRestartIT {

  private static final String SCENARIO = "3 broker restart";
  private static final String JOB = "restart-job";
  private static final int N = 160;
  private static final int EVERY = 16;
  private static final Duration DOWN = Duration.ofSeconds(6);
  private static final Duration WAIT = Duration.ofMinutes(3);

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void trainerAndEvaluatorRecoverByThemselvesAndCountEverythingOnce() throws Exception {
    try (Stack stack = Stack.start(dir);
        TopicLog checkpoints = new TopicLog(stack.bootstrap(), Topics.CHECKPOINTS);
        TopicLog metrics = new TopicLog(stack.bootstrap(), Topics.TRAINING_METRICS);
        TopicLog events = new TopicLog(stack.bootstrap(), Topics.JOB_EVENTS);
        TopicLog progress = new TopicLog(stack.bootstrap(), Topics.EVAL_PROGRESS);
        TopicLog results = new TopicLog(stack.bootstrap(), Topics.EVAL_RESULTS)) {
      int trainerPort = Stack.freePort();
      int evalPort = Stack.freePort();
      Path store = stack.state().resolve("checkpoints");
      try (ServiceProcess trainer = stack.trainer("restart-trainer", Map.of("QUARKUS_HTTP_PORT",
          String.valueOf(trainerPort), "MOELORA_TRAINER_KEEP_LAST", "1000", "MOELORA_TRAINER_METRICS_EVERY", "1"));
          ServiceProcess eval = stack.eval("restart-eval", Map.of("QUARKUS_HTTP_PORT", String.valueOf(evalPort),
              "MOELORA_EVAL_PROGRESS_EVERY", "8"))) {
        Stack.awaitReady(trainer, trainerPort, WAIT);
        Stack.awaitReady(eval, evalPort, WAIT);
        long trainerPid = trainer.pid();
        long evalPid = eval.pid();

        TestKafkaClients.send(stack.bootstrap(), Topics.JOBS, JOB, EventCodec.toJson(CrashJobs.small(JOB, EVERY, N, 24)));
        TestKafkaClients.sendAll(stack.bootstrap(), Topics.TRAINING_EXAMPLES, CrashJobs.examples(JOB, "ex", 0, N / 2));

        // 1. While training: the first checkpoint past the baseline says the job is under way.
        checkpoints.awaitFirst(WAIT, r -> JOB.equals(r.key()) && checkpoint(r).examplesSeen() >= EVERY);
        long trainedBefore = latestExamples(checkpoints);
        stack.restartBroker(DOWN);
        long back = System.currentTimeMillis();
        // The rest of the examples arrive after the outage, through the restarted broker.
        TestKafkaClients.sendAll(stack.bootstrap(), Topics.TRAINING_EXAMPLES,
            CrashJobs.examples(JOB, "ex", N / 2, N / 2));
        double trainerRecovery = awaitCreatedSince(back, checkpoints, metrics);
        Figures.record(SCENARIO, "restart 1 (training, " + trainedBefore + " examples checkpointed): broker down",
            DOWN.toSeconds() + " s", "report");
        Figures.record(SCENARIO, "restart 1: trainer's first checkpoint/metrics after the broker is back",
            String.format("%.1f s", trainerRecovery), "report");

        // 2. While evaluating: a checkpoint's suite has started (or reported progress) since.
        long progressMark = lastOffset(progress);
        ConsumerRecord<String, String> evaluating = progress.awaitFirst(WAIT, r -> JOB.equals(r.key())
            && r.offset() > progressMark && (progress(r).kind() == EvalProgress.Kind.STARTED
            || progress(r).kind() == EvalProgress.Kind.PROGRESS));
        String evaluated = progress(evaluating).checkpointId();
        long progressBefore = lastOffset(progress);
        stack.restartBroker(DOWN);
        back = System.currentTimeMillis();
        double evalRecovery = awaitCreatedSince(back, progress, results);
        boolean spanned = progress.byKey(JOB).stream().noneMatch(r -> r.offset() <= progressBefore
            && evaluated.equals(progress(r).checkpointId()) && progress(r).kind() == EvalProgress.Kind.FINISHED);
        Figures.record(SCENARIO, "restart 2 (evaluating checkpoint " + evaluated.substring(0, 8)
            + ", not finished before the stop: " + (spanned ? "yes" : "no") + "): broker down",
            DOWN.toSeconds() + " s", "report");
        Figures.record(SCENARIO, "restart 2: evaluator's first progress/result after the broker is back",
            String.format("%.1f s", evalRecovery), "report");

        // The job completes and its final checkpoint is evaluated, by the same two processes.
        events.awaitFirst(WAIT, r -> JOB.equals(r.key()) && event(r).state() == JobState.COMPLETED);
        CheckpointPublished fin = checkpoint(checkpoints.awaitFirst(WAIT, r -> JOB.equals(r.key())
            && checkpoint(r).examplesSeen() == N));
        results.awaitFirst(WAIT, r -> JOB.equals(r.key()) && result(r).checkpointId().equals(fin.checkpointId()));
        assertThat(trainer.alive()).as("trainer still running (see %s)", trainer.log()).isTrue();
        assertThat(eval.alive()).as("evaluator still running (see %s)", eval.log()).isTrue();
        assertThat(List.of(trainer.pid(), eval.pid())).containsExactly(trainerPid, evalPid);
        Figures.record(SCENARIO, "service restarts", 0, "0");
        Stack.awaitReady(trainer, trainerPort, Duration.ofSeconds(60));
        Stack.awaitReady(eval, evalPort, Duration.ofSeconds(60));
        Figures.record(SCENARIO, "trainer and evaluator /q/health/ready after recovery",
            ready(trainerPort) + " / " + ready(evalPort), "200 / 200");
        assertThat(ready(trainerPort)).isEqualTo(200);
        assertThat(ready(evalPort)).isEqualTo(200);

        // Counts as in scenario 1, from the final checkpoint.
        TrainingState state = new ObjectMapper().readValue(Path.of(URI.create(fin.uri()))
            .resolve(CheckpointFiles.TRAINING_STATE).toFile(), TrainingState.class);
        boolean sameIds = state.exampleChecksum() == ExampleChecksum.of(CrashJobs.ids("ex", 0, N));
        Figures.record(SCENARIO, "examples produced", N, "= " + N);
        Figures.record(SCENARIO, "examples trained (final checkpoint)", state.examplesSeen(), "= " + N);
        Figures.record(SCENARIO, "duplicates", sameIds ? Math.max(0, state.examplesSeen() - N) : "unknown", "0");
        Figures.record(SCENARIO, "lost", sameIds ? Math.max(0, N - state.examplesSeen()) : "unknown", "0");
        assertThat(state.examplesSeen()).isEqualTo(N);
        assertThat(sameIds).as("checksum of the trained example ids equals that of the produced ones").isTrue();
        assertThat(events.byKey(JOB).stream().map(BrokerRestartIT::event).map(JobEvent::state))
            .doesNotContain(JobState.FAILED, JobState.PAUSED);

        TrainingAudit.Audit audit = TrainingAudit.verify(store, TrainingAudit.announced(checkpoints, JOB, store));
        Figures.record(SCENARIO, "checkpoints that load and match their digest", audit.verified() + " of "
            + audit.announced(), "all");
        assertThat(audit.problems()).isEmpty();
        assertThat(audit.verified()).isEqualTo(audit.announced());

        // Each (checkpoint, suite) once on the results topic, the final checkpoint's included.
        Map<String, Long> perPair = results.byKey(JOB).stream().map(BrokerRestartIT::result)
            .collect(Collectors.groupingBy(r -> r.checkpointId() + "/" + r.suite(), Collectors.counting()));
        long duplicated = perPair.values().stream().filter(c -> c > 1).count();
        Figures.record(SCENARIO, "eval results (distinct checkpoint, suite)", perPair.size(), "report");
        Figures.record(SCENARIO, "eval results duplicated", duplicated, "0");
        assertThat(perPair).containsKey(fin.checkpointId() + "/synthetic-choice");
        assertThat(duplicated).isZero();

        // The trainer's jobs channel judges each spec once; a spec it failed to judge during an
        // outage would be dead-lettered although valid (training reads specs elsewhere, so this is
        // reported, not held).
        try (TopicLog jobsDlq = new TopicLog(stack.bootstrap(), Topics.dlq(Topics.JOBS))) {
          Figures.record(SCENARIO, "valid job spec dead-lettered during the outages", jobsDlq.byKey(JOB).size(),
              "report");
        }
        trainer.stop();
        eval.stop();
      }
    }
  }

  /**
   * Waits for the job's first record on any of {@code logs} that a service created after
   * {@code since} (epoch ms), i.e. one that went through the restarted broker, not a record sent
   * before the stop and fetched late; returns the seconds from {@code since} until it arrived.
   */
  private static double awaitCreatedSince(long since, TopicLog... logs) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (TopicLog log : logs) {
        if (log.byKey(JOB).stream().anyMatch(r -> r.timestamp() >= since)) {
          return (System.currentTimeMillis() - since) / 1000.0;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the services did not recover within " + WAIT);
      }
    }
  }

  private static int ready(int port) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
        .timeout(Duration.ofSeconds(10)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static long latestExamples(TopicLog log) {
    return log.byKey(JOB).stream().map(BrokerRestartIT::checkpoint).mapToLong(CheckpointPublished::examplesSeen)
        .max().orElse(0);
  }

  /** The offset of the job's latest record read so far (its records share one partition), or -1. */
  private static long lastOffset(TopicLog log) {
    return log.byKey(JOB).stream().mapToLong(ConsumerRecord::offset).max().orElse(-1);
  }

  private static CheckpointPublished checkpoint(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), CheckpointPublished.class);
  }

  private static EvalProgress progress(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), EvalProgress.class);
  }

  private static EvalResult result(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), EvalResult.class);
  }

  private static JobEvent event(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), JobEvent.class);
  }
}
