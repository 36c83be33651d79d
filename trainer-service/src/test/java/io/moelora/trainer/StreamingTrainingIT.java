package io.moelora.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.checkpoint.Manifest;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.train.ExampleChecksum;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.CheckpointPolicy;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobSpec;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.events.TrainingMetrics;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.trainer.support.Jobs;
import io.moelora.trainer.support.PoisonedModel;
import io.moelora.kafkalocal.testing.TopicLog;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The trainer on a real broker: a job's examples in, verifiable checkpoints and events out. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class StreamingTrainingIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @ConfigProperty(name = "moelora.checkpoint-dir")
  Path checkpointDir;

  @Test
  void trainsAJobFromTheStreamAndPublishesVerifiableCheckpoints() throws Exception {
    String jobId = "stream-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(Jobs.small(jobId, 8, 24)));
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "ex", 0, 24));

    try (TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS);
        TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS);
        TopicLog metrics = new TopicLog(bootstrap, Topics.TRAINING_METRICS)) {
      events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.COMPLETED);
      // Judged by the jobs channel, independently of training: it may come after completion.
      events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.ACCEPTED);
      List<JobState> states = events.byKey(jobId).stream().map(StreamingTrainingIT::state).toList();
      assertThat(states).contains(JobState.ACCEPTED, JobState.TRAINING)
          .containsSubsequence(JobState.CHECKPOINTED, JobState.CHECKPOINTED, JobState.CHECKPOINTED,
              JobState.CHECKPOINTED, JobState.COMPLETED);

      List<CheckpointPublished> published = checkpoints.byKey(jobId).stream()
          .map(r -> EventCodec.fromJson(r.value(), CheckpointPublished.class)).toList();
      assertThat(published).extracting(CheckpointPublished::examplesSeen).containsExactly(0L, 8L, 16L, 24L);
      assertThat(published).extracting(CheckpointPublished::step).containsExactly(0L, 2L, 4L, 6L);
      CheckpointPublished last = published.get(3);
      assertThat(last.sha256()).isEqualTo(last.checkpointId());
      assertThat(Manifest.of(Path.of(URI.create(last.uri()))).digest()).isEqualTo(last.sha256());
      assertThat(last.metrics()).containsKeys("loss", "lmLoss", "contrastiveLoss");

      try (LoadedModel base = ModelLoader.load(Path.of("builtin:tiny"), null);
          LoadedCheckpoint loaded = new CheckpointStore(checkpointDir).open(URI.create(last.uri()), base.model())) {
        assertThat(loaded.state().examplesSeen()).isEqualTo(24);
        assertThat(loaded.state().exampleChecksum()).isEqualTo(ExampleChecksum.of(Jobs.ids("ex", 0, 24)));
        assertThat(loaded.state().consumedOffsets()).hasSize(1);
      }

      metrics.awaitFirst(WAIT, r -> jobId.equals(r.key()));
      TrainingMetrics m = EventCodec.fromJson(metrics.byKey(jobId).get(0).value(), TrainingMetrics.class);
      assertThat(m.step()).isEqualTo(1);
      assertThat(m.expertLoad()).containsKeys("0.q_proj", "1.v_proj");
      assertThat(m.expertLoad().get("0.q_proj")).hasSize(2);
    }

    // The job is complete: one more example is refused, not trained.
    TestKafkaClients.send(bootstrap, Topics.TRAINING_EXAMPLES, jobId,
        EventCodec.toJson(new TrainingExample(jobId, "late", "Pick one.", "", "answer1", null)));
    try (TopicLog dlq = new TopicLog(bootstrap, Topics.dlq(Topics.TRAINING_EXAMPLES))) {
      ConsumerRecord<String, String> dead = dlq.awaitFirst(WAIT, r -> jobId.equals(r.key()));
      assertThat(TestKafkaClients.header(dead, "dead-letter-reason")).contains("is completed");
    }
  }

  @Test
  void invalidInputGoesToTheDlqWithAReasonAndValidInputStillTrains() throws Exception {
    String rejected = "rejected-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, rejected,
        EventCodec.toJson(JobSpec.withDefaults(rejected, "no/such/model")));
    String unknown = "unknown-" + UUID.randomUUID();
    String good = "good-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, good, EventCodec.toJson(Jobs.small(good, 4, 4)));
    String huge = "x".repeat(3000);
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, List.of(
        new SimpleEntry<>(good, "{not json"),
        new SimpleEntry<>(good, "{\"schemaVersion\":1,\"jobId\":\"" + good + "\",\"exampleId\":\"e\",\"instruction\":\"i\"}"),
        new SimpleEntry<>(good, EventCodec.toJson(new TrainingExample(good, "huge", huge, "", "o", null))),
        new SimpleEntry<>(unknown, EventCodec.toJson(new TrainingExample(unknown, "u", "i", "", "o", null))),
        new SimpleEntry<>(rejected, EventCodec.toJson(new TrainingExample(rejected, "r", "i", "", "o", null)))));
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(good, "g", 0, 4));

    try (TopicLog dlq = new TopicLog(bootstrap, Topics.dlq(Topics.TRAINING_EXAMPLES));
        TopicLog jobsDlq = new TopicLog(bootstrap, Topics.dlq(Topics.JOBS));
        TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS)) {
      events.awaitFirst(WAIT, r -> good.equals(r.key()) && state(r) == JobState.COMPLETED);
      assertThat(reasons(dlq, good)).hasSize(3).anyMatch(s -> s.contains("malformed JSON"))
          .anyMatch(s -> s.contains("output")).anyMatch(s -> s.contains("more than the limit 2000"));
      assertThat(reasons(dlq, unknown)).singleElement().asString().contains("unknown job");
      assertThat(reasons(dlq, rejected)).singleElement().asString().contains("was rejected").contains("not found");
      assertThat(reasons(jobsDlq, rejected)).singleElement().asString().contains("not found in the model directory");
      assertThat(events.byKey(rejected)).extracting(StreamingTrainingIT::state).containsExactly(JobState.REJECTED);
    }
  }

  @ConfigProperty(name = "moelora.model-dir")
  Path modelDir;

  @Test
  void divergencePausesTheJobAndANewSpecResumesItFromItsCheckpoint() throws Exception {
    String jobId = "diverge-" + UUID.randomUUID();
    PoisonedModel.write(modelDir.resolve(jobId));
    JobSpec spec = new JobSpec(1, jobId, jobId, Jobs.small(jobId, 8, 0).adapter(), Jobs.small(jobId, 8, 0).optimizer(),
        Jobs.small(jobId, 8, 0).batching(), new CheckpointPolicy(8, 0), Jobs.small(jobId, 8, 0).eval(), 0L);
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(spec));
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "d", 0, 24));

    try (TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS);
        TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS)) {
      JobEvent paused = event(events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.PAUSED));
      assertThat(paused.reason()).contains("non-finite").contains("Publish a new spec");
      // Five bad updates in a row of 4 examples: 20 examples consumed, nothing non-finite applied.
      assertThat(paused.examplesSeen()).isEqualTo(20);
      try (LoadedModel base = ModelLoader.load(modelDir.resolve(jobId), null)) {
        CheckpointStore store = new CheckpointStore(checkpointDir);
        for (ConsumerRecord<String, String> r : checkpoints.byKey(jobId)) {
          CheckpointPublished c = EventCodec.fromJson(r.value(), CheckpointPublished.class);
          try (LoadedCheckpoint loaded = store.open(URI.create(c.uri()), base.model())) {
            assertThat(loaded.adapters().parameters()).isNotEmpty(); // the reader refuses non-finite values
          }
          assertThat(c.metrics()).doesNotContainKey("loss"); // no update was finite
        }
      }

      // A new spec resumes from the last checkpoint and re-reads what came after it.
      TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(spec.withMaxExamples(1000)));
      events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.TRAINING
          && event(r).reason().startsWith("resumed from checkpoint"));
      await().atMost(WAIT).until(() -> events.byKey(jobId).stream()
          .filter(r -> state(r) == JobState.PAUSED).count() == 2);
    }
  }

  @Test
  void aPausedSpecHoldsExamplesUntilTheJobResumes() throws Exception {
    String jobId = "hold-" + UUID.randomUUID();
    JobSpec running = Jobs.small(jobId, 8, 0);
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(running));
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "h", 0, 8));
    try (TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS);
        TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS)) {
      checkpoints.awaitFirst(WAIT, r -> jobId.equals(r.key()) && seen(r) == 8);
      TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(running.withPaused(true)));
      events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.PAUSED
          && event(r).reason().startsWith("paused by its spec"));
      TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "h", 8, 8));
      Thread.sleep(3000); // held: nothing trains while paused
      assertThat(checkpoints.byKey(jobId)).noneMatch(r -> seen(r) > 8);

      TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(running));
      ConsumerRecord<String, String> resumed = checkpoints.awaitFirst(WAIT, r -> jobId.equals(r.key()) && seen(r) == 16);
      CheckpointPublished last = EventCodec.fromJson(resumed.value(), CheckpointPublished.class);
      try (LoadedModel base = ModelLoader.load(Path.of("builtin:tiny"), null);
          LoadedCheckpoint loaded = new CheckpointStore(checkpointDir).open(URI.create(last.uri()), base.model())) {
        assertThat(loaded.state().exampleChecksum()).isEqualTo(ExampleChecksum.of(Jobs.ids("h", 0, 16)));
      }
    }
  }

  private static long seen(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), CheckpointPublished.class).examplesSeen();
  }

  @Test
  void aSpecWhoseBudgetIsSpentCompletesTheJobAtOnce() throws Exception {
    String jobId = "budget-" + UUID.randomUUID();
    JobSpec continuous = Jobs.small(jobId, 100, 0);
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(continuous));
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "b", 0, 8));
    try (TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS)) {
      events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.TRAINING);
      await().atMost(WAIT).until(() -> metricsSteps(jobId) >= 2); // both batches trained
      TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(continuous.withMaxExamples(8)));
      JobEvent done = event(events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && state(r) == JobState.COMPLETED));
      assertThat(done.examplesSeen()).isEqualTo(8);
    }
  }

  private long metricsSteps(String jobId) {
    try (TopicLog metrics = new TopicLog(bootstrap, Topics.TRAINING_METRICS)) {
      metrics.poll();
      return metrics.byKey(jobId).stream()
          .mapToLong(r -> EventCodec.fromJson(r.value(), TrainingMetrics.class).step()).max().orElse(0);
    }
  }

  @Test
  void retentionKeepsTheLastCheckpointsAndTheBestByEvaluation() throws Exception {
    String jobId = "retain-" + UUID.randomUUID();
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(Jobs.small(jobId, 4, 0)));
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "r", 0, 4));
    List<CheckpointPublished> published = new java.util.ArrayList<>();
    try (TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS)) {
      checkpoints.awaitFirst(WAIT, r -> jobId.equals(r.key())
          && EventCodec.fromJson(r.value(), CheckpointPublished.class).examplesSeen() == 4);
      checkpoints.byKey(jobId).forEach(r -> published.add(EventCodec.fromJson(r.value(), CheckpointPublished.class)));
      String best = published.get(0).checkpointId(); // step 0 scores best; step 1 worse
      TestKafkaClients.sendAll(bootstrap, Topics.EVAL_RESULTS, List.of(
          new SimpleEntry<>(jobId, EventCodec.toJson(result(jobId, best, 9))),
          new SimpleEntry<>(jobId, EventCodec.toJson(result(jobId, published.get(1).checkpointId(), 1)))));
      Thread.sleep(3000); // the trainer follows the results topic (polls every 0.5 s)

      TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "r", 4, 12));
      checkpoints.awaitFirst(WAIT, r -> jobId.equals(r.key())
          && EventCodec.fromJson(r.value(), CheckpointPublished.class).examplesSeen() == 16);
      // keep-last 3 (examples 8, 12, 16) plus the best (step 0); examples 4 is gone. Retention runs
      // right after the announcement, so the listing converges shortly after it.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(new CheckpointStore(checkpointDir).list(jobId))
              .extracting(c -> c.examplesSeen()).containsExactly(0L, 8L, 12L, 16L));
    }
  }

  private static io.moelora.events.EvalResult result(String jobId, String checkpointId, int correct) {
    return new io.moelora.events.EvalResult(1, jobId, checkpointId, "synthetic-choice", "1", 10, correct,
        io.moelora.events.EvalResult.accuracyOf(correct, 10), "choice", io.moelora.events.Decoding.GREEDY,
        "llm-adapters-1", 10);
  }

  private static JobEvent event(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), JobEvent.class);
  }

  private static List<String> reasons(TopicLog dlq, String key) {
    return dlq.byKey(key).stream().map(r -> TestKafkaClients.header(r, "dead-letter-reason")).toList();
  }

  private static JobState state(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), JobEvent.class).state();
  }
}
