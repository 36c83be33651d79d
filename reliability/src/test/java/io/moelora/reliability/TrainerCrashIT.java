package io.moelora.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.checkpoint.CheckpointFiles;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.core.train.ExampleChecksum;
import io.moelora.core.train.TrainingState;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.TrainingMetrics;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.kafkalocal.testing.TopicLog;
import io.moelora.reliability.support.CrashJobs;
import io.moelora.reliability.support.Figures;
import io.moelora.reliability.support.Stack;
import io.moelora.reliability.support.TrainingAudit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8.1: the packaged trainer is killed with SIGKILL five times during one job (mid-step, while
 * a checkpoint is being written, between a checkpoint and the offset commit that follows it, and
 * twice at random) and restarted each time. The examples trained must be exactly those produced,
 * every announced checkpoint must load and match its digest, and the final adapter must equal that
 * of an uninterrupted run of the same job (same id, hence same seed) on the same examples.
 */
class TrainerCrashIT {

  private static final String SCENARIO = "1 trainer crash";
  private static final String JOB = "crash-job";
  private static final int N = 320;
  private static final int EVERY = 16;
  private static final int BATCH = 4;
  private static final String GROUP = "crash-trainer";
  /**
   * At most this many steps (of {@link #BATCH}) pass between a resume and a timed kill. With the
   * checkpoint-paced kills (at most one checkpoint interval each) the five kills then stay far
   * below N: 5 x max(4 steps x 4, 16 + 4) = 100 examples of progress at most, well under 320.
   */
  private static final int STEPS_BEFORE_KILL = 4;
  private static final Duration WAIT = Duration.ofMinutes(2);

  /** One kill: when it was aimed, what the store held right after, and what the kill hit. */
  private record Kill(String kind, long latestExamplesSeen, String hit) {}

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void fiveKillsLoseNothingRepeatNothingAndTrainWhatAnUninterruptedRunTrains() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("[" + SCENARIO + "] random seed " + seed);
    try (Stack stack = Stack.start(dir);
        TopicLog checkpoints = new TopicLog(stack.bootstrap(), Topics.CHECKPOINTS);
        TopicLog events = new TopicLog(stack.bootstrap(), Topics.JOB_EVENTS);
        TopicLog metrics = new TopicLog(stack.bootstrap(), Topics.TRAINING_METRICS)) {
      TestKafkaClients.send(stack.bootstrap(), Topics.JOBS, JOB, EventCodec.toJson(CrashJobs.small(JOB, EVERY, N, 4)));
      TestKafkaClients.sendAll(stack.bootstrap(), Topics.TRAINING_EXAMPLES, CrashJobs.examples(JOB, "ex", 0, N));
      Path store = stack.state().resolve("checkpoints");
      Path referenceStore = stack.state().resolve("reference-checkpoints");

      // The uninterrupted run first, in its own group and store: same job id (so the same seed),
      // same examples in the same partition and order.
      try (ServiceProcess reference = stack.trainer("crash-reference", Map.of("MOELORA_TRAINER_GROUP",
          "crash-reference", "MOELORA_CHECKPOINT_DIR", referenceStore.toString(), "MOELORA_TRAINER_KEEP_LAST", "1000",
          "MOELORA_TRAINER_METRICS_EVERY", "1"))) {
        awaitFinal(checkpoints, referenceStore, reference);
        reference.stop();
      }
      long referenceMetricsEnd = lastOffset(metrics);
      long eventsMark = lastOffset(events);

      Map<String, String> env = Map.of("MOELORA_TRAINER_GROUP", GROUP, "MOELORA_TRAINER_KEEP_LAST", "1000",
          "MOELORA_TRAINER_METRICS_EVERY", "1");
      List<String> plan = List.of("mid-step", "mid-checkpoint write", "between checkpoint and offset commit",
          "random", "random");
      List<Kill> kills = new ArrayList<>();
      for (int i = 0; i < plan.size(); i++) {
        stack.removeGroupMembers(GROUP, "moelora-trainer-jobs");
        long metricsMark = lastOffset(metrics);
        long eventsBefore = lastOffset(events);
        Set<String> announcedBefore = ids(TrainingAudit.announced(checkpoints, JOB, store));
        Set<String> stagingBefore = staging(store);
        try (ServiceProcess trainer = stack.trainer("crash-" + (i + 1), env)) {
          String hit = switch (plan.get(i)) {
            case "mid-step" -> {
              // A random moment within the first few steps after the resume, measured in steps rather
              // than wall-clock time: on a fast machine a second is dozens of steps, and five kills must
              // all land before the job's last example (see STEPS_BEFORE_KILL).
              awaitSteps(metrics, metricsMark, 1 + random.nextInt(STEPS_BEFORE_KILL), trainer);
              Thread.sleep(random.nextInt(20));
              trainer.kill9();
              yield "killed while training";
            }
            case "mid-checkpoint write" -> killOnStaging(trainer, store, stagingBefore);
            case "between checkpoint and offset commit" -> killOnAnnouncement(stack, trainer, checkpoints, store,
                announcedBefore);
            default -> {
              awaitTraining(events, eventsBefore, trainer);
              awaitSteps(metrics, metricsMark, random.nextInt(STEPS_BEFORE_KILL + 1), trainer);
              Thread.sleep(random.nextInt(20));
              trainer.kill9();
              yield "killed " + (lastOffset(metrics) > metricsMark ? "after training resumed" : "before a step");
            }
          };
          long latest = new CheckpointStore(store).latest(JOB).map(StoredCheckpoint::examplesSeen).orElse(-1L);
          assertThat(latest).as("the job must still be running when killed (kill %d)", i + 1).isLessThan(N);
          kills.add(new Kill(plan.get(i), latest, hit));
        }
      }

      stack.removeGroupMembers(GROUP, "moelora-trainer-jobs");
      try (ServiceProcess last = stack.trainer("crash-final", env)) {
        awaitFinal(checkpoints, store, last);
        events.awaitFirst(WAIT, r -> JOB.equals(r.key()) && r.offset() > eventsMark
            && event(r).state() == JobState.COMPLETED);
        last.stop();
      }

      for (int i = 0; i < kills.size(); i++) {
        Kill k = kills.get(i);
        Figures.record(SCENARIO, "kill " + (i + 1) + ": " + k.kind(), k.hit() + "; latest checkpoint then at "
            + k.latestExamplesSeen() + " examples", "report");
      }
      Figures.record(SCENARIO, "restarts after kill -9", kills.size(), "= 5");
      assertThat(kills).hasSize(5);

      // Examples trained, from the final checkpoint: count and checksum of the ids, and where it
      // stopped reading.
      List<CheckpointPublished> announced = TrainingAudit.announced(checkpoints, JOB, store);
      CheckpointPublished fin = announced.get(announced.size() - 1);
      Path finalDir = store.resolve(JOB).resolve(fin.checkpointId());
      TrainingState state = new ObjectMapper().readValue(finalDir.resolve(CheckpointFiles.TRAINING_STATE).toFile(),
          TrainingState.class);
      long produced = N;
      long trained = state.examplesSeen();
      boolean sameIds = state.exampleChecksum() == ExampleChecksum.of(CrashJobs.ids("ex", 0, N));
      Figures.record(SCENARIO, "examples produced", produced, "= " + N);
      Figures.record(SCENARIO, "examples trained (final checkpoint: count)", trained, "= " + N);
      Figures.record(SCENARIO, "id checksum of trained = of produced", sameIds ? "yes" : "no", "yes");
      Figures.record(SCENARIO, "duplicates", sameIds ? Math.max(0, trained - produced) : "unknown (checksum differs)",
          "0");
      Figures.record(SCENARIO, "lost", sameIds ? Math.max(0, produced - trained) : "unknown (checksum differs)", "0");
      assertThat(trained).isEqualTo(produced);
      assertThat(sameIds).as("checksum of the trained example ids equals that of the produced ones").isTrue();
      Map<String, Long> endOfExamples = endOffsets(stack);
      Figures.record(SCENARIO, "final checkpoint read up to", new TreeMap<>(state.consumedOffsets()),
          "end of topic " + endOfExamples);
      assertThat(state.consumedOffsets()).isEqualTo(endOfExamples);

      // Examples trained, from the metrics: one record per update (every update publishes), at least
      // once: updates redone after a crash publish their step again, and records carry no ids, so
      // they confirm the count (distinct steps × batch) but cannot prove exactly-once by themselves.
      List<TrainingMetrics> crashMetrics = metricsAfter(metrics, referenceMetricsEnd);
      Map<Long, TrainingMetrics> byStep = new TreeMap<>();
      crashMetrics.forEach(m -> byStep.put(m.step(), m));
      Figures.record(SCENARIO, "examples trained (metrics: distinct steps x batch)", byStep.size() * BATCH,
          "= " + N);
      Figures.record(SCENARIO, "metrics records republished by redone updates", crashMetrics.size() - byStep.size(),
          "report");
      assertThat(byStep.keySet()).containsExactlyElementsOf(
          Stream.iterate(1L, s -> s + 1).limit(N / BATCH).toList());

      // Every announced checkpoint loads and matches its digest (none is deleted: keep-last 1000).
      TrainingAudit.Audit audit = TrainingAudit.verify(store, announced);
      Figures.record(SCENARIO, "checkpoints announced", audit.announced(), "report");
      Figures.record(SCENARIO, "checkpoints that load and match their digest", audit.verified(),
          "= " + (audit.announced() - audit.deleted()));
      Figures.record(SCENARIO, "checkpoints deleted by retention (skipped)", audit.deleted(), "0");
      assertThat(audit.problems()).isEmpty();
      assertThat(audit.deleted()).isZero();
      assertThat(audit.verified()).isEqualTo(audit.announced());

      // The final adapter against the uninterrupted run's.
      List<CheckpointPublished> referenceAnnounced = TrainingAudit.announced(checkpoints, JOB, referenceStore);
      CheckpointPublished referenceFinal = referenceAnnounced.get(referenceAnnounced.size() - 1);
      Path referenceAdapter = referenceStore.resolve(JOB).resolve(referenceFinal.checkpointId())
          .resolve(CheckpointFiles.ADAPTER_MODEL);
      Path adapter = finalDir.resolve(CheckpointFiles.ADAPTER_MODEL);
      double maxDiff = TrainingAudit.maxAbsDifference(adapter, referenceAdapter);
      boolean bitwise = Files.mismatch(adapter, referenceAdapter) == -1;
      Figures.record(SCENARIO, "final adapter vs uninterrupted run: max |delta|", maxDiff, "<= 1e-5");
      Figures.record(SCENARIO, "final adapter bitwise equal to uninterrupted run", bitwise ? "yes" : "no", "report");
      Figures.record(SCENARIO, "final checkpoint id equal to uninterrupted run's (all files)",
          fin.checkpointId().equals(referenceFinal.checkpointId()) ? "yes" : "no", "report");
      double lossDiff = lossDifference(metricsUpTo(metrics, referenceMetricsEnd), byStep);
      Figures.record(SCENARIO, "loss per step vs uninterrupted run: max |delta|", lossDiff, "report");
      assertThat(maxDiff).as("final adapter vs the uninterrupted run").isLessThanOrEqualTo(1e-5);
    }
  }

  /** Kills the trainer the moment a checkpoint staging directory appears in the job's directory. */
  private static String killOnStaging(ServiceProcess trainer, Path store, Set<String> before) throws Exception {
    Path job = store.resolve(JOB);
    long deadline = System.nanoTime() + WAIT.toNanos();
    Set<String> digestsBefore = digests(store);
    while (System.nanoTime() < deadline) {
      if (!trainer.alive()) {
        throw new AssertionError("the trainer exited; see " + trainer.log());
      }
      for (String name : staging(store)) {
        if (!before.contains(name)) {
          trainer.kill9();
          // Still there after the kill: the write was cut before the rename published it.
          boolean cut = Files.exists(job.resolve(name)) && digests(store).equals(digestsBefore);
          return cut ? "killed mid-write: staging " + name + " left, no new checkpoint"
              : "killed just after the write completed";
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no checkpoint write started within " + WAIT);
  }

  /**
   * Kills the trainer as soon as it announces a new checkpoint, before its consumer's next commit
   * (once a second), and says whether the group's committed offset was still behind the checkpoint.
   */
  private static String killOnAnnouncement(Stack stack, ServiceProcess trainer, TopicLog checkpoints, Path store,
      Set<String> before) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!trainer.alive()) {
        throw new AssertionError("the trainer exited; see " + trainer.log());
      }
      for (CheckpointPublished p : TrainingAudit.announced(checkpoints, JOB, store)) {
        if (!before.contains(p.checkpointId())) {
          trainer.kill9();
          TrainingState state = new ObjectMapper().readValue(Path.of(java.net.URI.create(p.uri()))
              .resolve(CheckpointFiles.TRAINING_STATE).toFile(), TrainingState.class);
          Map<String, Long> committed = committed(stack, GROUP);
          boolean behind = state.consumedOffsets().entrySet().stream()
              .anyMatch(e -> committed.getOrDefault(e.getKey(), 0L) < e.getValue());
          return "killed on the announcement of " + p.examplesSeen() + " examples; committed " + committed
              + (behind ? " still behind the checkpoint's " : " already at the checkpoint's ")
              + new TreeMap<>(state.consumedOffsets());
        }
      }
    }
    throw new AssertionError("no new checkpoint announced within " + WAIT);
  }

  /** Waits until this trainer (under {@code root}) announces the checkpoint that holds all N examples. */
  private static void awaitFinal(TopicLog checkpoints, Path root, ServiceProcess trainer) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (TrainingAudit.announced(checkpoints, JOB, root).stream().noneMatch(p -> p.examplesSeen() == N)) {
      if (!trainer.alive()) {
        throw new AssertionError("the trainer exited; see " + trainer.log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no final checkpoint under " + root + "; see " + trainer.log());
      }
    }
  }

  /** Waits until {@code steps} new metrics records (one per update) follow {@code mark}; 0 returns at once. */
  private static void awaitSteps(TopicLog metrics, long mark, int steps, ServiceProcess trainer) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (metrics.byKey(JOB).stream().filter(r -> r.offset() > mark).count() < steps) {
      if (!trainer.alive() || System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + steps + " new steps; see " + trainer.log());
      }
      Thread.onSpinWait();
    }
  }

  private static void awaitTraining(TopicLog events, long mark, ServiceProcess trainer) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (events.byKey(JOB).stream().noneMatch(r -> r.offset() > mark && event(r).state() == JobState.TRAINING)) {
      if (!trainer.alive() || System.nanoTime() > deadline) {
        throw new AssertionError("the job did not resume; see " + trainer.log());
      }
    }
  }

  /** The offset of the job's latest record read so far (its records share one partition), or -1. */
  private static long lastOffset(TopicLog log) {
    return log.byKey(JOB).stream().mapToLong(ConsumerRecord::offset).max().orElse(-1);
  }

  private static List<TrainingMetrics> metricsAfter(TopicLog log, long mark) {
    return log.byKey(JOB).stream().filter(r -> r.offset() > mark)
        .map(r -> EventCodec.fromJson(r.value(), TrainingMetrics.class)).toList();
  }

  private static Map<Long, TrainingMetrics> metricsUpTo(TopicLog log, long mark) {
    Map<Long, TrainingMetrics> out = new TreeMap<>();
    log.byKey(JOB).stream().filter(r -> r.offset() <= mark)
        .map(r -> EventCodec.fromJson(r.value(), TrainingMetrics.class)).forEach(m -> out.put(m.step(), m));
    return out;
  }

  /** Largest per-step loss difference; infinite when the runs did not publish the same steps. */
  private static double lossDifference(Map<Long, TrainingMetrics> a, Map<Long, TrainingMetrics> b) {
    if (!a.keySet().equals(b.keySet())) {
      return Double.POSITIVE_INFINITY;
    }
    return a.keySet().stream().mapToDouble(s -> Math.abs(a.get(s).loss() - b.get(s).loss())).max().orElse(0);
  }

  /** Dot-names in the job's checkpoint directory: the store's staging and temporary directories. */
  private static Set<String> staging(Path store) throws IOException {
    return names(store.resolve(JOB)).stream().filter(n -> n.startsWith(".")).collect(Collectors.toSet());
  }

  private static Set<String> digests(Path store) throws IOException {
    return names(store.resolve(JOB)).stream().filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
  }

  private static Set<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static Set<String> ids(List<CheckpointPublished> announced) {
    return announced.stream().map(CheckpointPublished::checkpointId).collect(Collectors.toSet());
  }

  /** The group's committed offsets on the examples topic, as checkpoints name partitions. */
  private static Map<String, Long> committed(Stack stack, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<String, Long> out = new TreeMap<>();
      offsets.forEach((p, o) -> {
        if (o != null && p.topic().equals(Topics.TRAINING_EXAMPLES)) {
          out.put(p.topic() + "-" + p.partition(), o.offset());
        }
      });
      return out;
    }
  }

  /** End offsets of the examples topic's non-empty partitions, as checkpoints name them. */
  private static Map<String, Long> endOffsets(Stack stack) {
    try (var consumer = TestKafkaClients.readFromBeginning(stack.bootstrap(), Topics.TRAINING_EXAMPLES)) {
      Map<String, Long> out = new TreeMap<>();
      consumer.endOffsets(consumer.assignment()).forEach((p, end) -> {
        if (end > 0) {
          out.put(p.topic() + "-" + p.partition(), end);
        }
      });
      return out;
    }
  }

  private static JobEvent event(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), JobEvent.class);
  }
}
