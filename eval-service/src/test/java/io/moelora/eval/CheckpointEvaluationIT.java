package io.moelora.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.eval.messaging.CheckpointConsumer;
import io.moelora.eval.testing.TestCheckpoints;
import io.moelora.eval.testing.TestTopics;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalProgress.Kind;
import io.moelora.events.EvalResult;
import io.moelora.events.EvalSpec;
import io.moelora.events.EventCodec;
import io.moelora.events.EventSchema;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints written to the real store by the core, announced on the real broker, evaluated by the
 * running service on builtin:tiny: results, progress, refusal of tampered checkpoints, idempotence
 * and skipping of superseded checkpoints.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class CheckpointEvaluationIT {

  private static final List<String> SUITES = List.of("synthetic-addsub", "synthetic-choice");
  private static final int LIMIT = 8;

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @ConfigProperty(name = "moelora.checkpoint-dir")
  Path storeRoot;

  TestTopics topics;
  String jobId;

  @BeforeEach
  void setUp() {
    topics = new TestTopics(bootstrap);
    jobId = "job-" + UUID.randomUUID();
  }

  @Test
  void scoresEverySuiteOfTheJobWithItsLimitAndDecoding() throws Exception {
    // Greedy runs in batches of 8, so 12 items report progress once (at 8) before finishing.
    int limit = 12;
    publishJob(limit);
    StoredCheckpoint stored;
    try (TestCheckpoints checkpoints = new TestCheckpoints(storeRoot)) {
      stored = checkpoints.write(jobId, 1);
    }
    RecordMetadata sent = topics.send(Topics.CHECKPOINTS, jobId, TestCheckpoints.event(stored, 10));

    List<EvalResult> results = awaitResults(2);
    assertThat(results).extracting(EvalResult::suite).containsExactlyInAnyOrderElementsOf(SUITES);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.checkpointId()).isEqualTo(stored.checkpointId());
      assertThat(r.n()).isEqualTo(limit);
      assertThat(r.accuracy()).isEqualTo(EvalResult.accuracyOf(r.correct(), r.n()));
      assertThat(r.decoding()).isEqualTo(Decoding.GREEDY);
      assertThat(r.protocolVersion()).isEqualTo("llm-adapters-1");
      assertThat(r.suiteVersion()).isEqualTo("1");
    });
    assertThat(results).filteredOn(r -> r.suite().equals("synthetic-addsub"))
        .extracting(EvalResult::extractor).containsExactly("numeric");

    List<EvalProgress> progress = awaitProgress(p -> p.stream().filter(e -> e.kind() == Kind.FINISHED).count() == 2);
    for (String suite : SUITES) {
      assertThat(progress.stream().filter(e -> suite.equals(e.suite())))
          .extracting(EvalProgress::kind, EvalProgress::done, EvalProgress::total)
          .containsExactly(tuple(Kind.STARTED, 0, limit), tuple(Kind.PROGRESS, 8, limit),
              tuple(Kind.FINISHED, limit, limit));
    }
    topics.awaitCommittedPast(CheckpointConsumer.GROUP, sent);
  }

  @Test
  void refusesCheckpointsWhoseFilesOrEventDisagreeWithTheDigest() throws Exception {
    publishJob(LIMIT);
    StoredCheckpoint tampered;
    StoredCheckpoint relabelled;
    try (TestCheckpoints checkpoints = new TestCheckpoints(storeRoot)) {
      tampered = checkpoints.write(jobId, 2);
      relabelled = checkpoints.write(jobId, 3);
    }
    TestCheckpoints.tamper(tampered);
    String otherDigest = "ab".repeat(32);
    topics.send(Topics.CHECKPOINTS, jobId, TestCheckpoints.event(tampered, 10));
    // One at a time: read together, the newer would make the older one skipped instead.
    awaitProgress(p -> p.stream().anyMatch(e -> e.kind() == Kind.REFUSED));
    RecordMetadata last = topics.send(Topics.CHECKPOINTS, jobId,
        TestCheckpoints.event(relabelled, 20, otherDigest, otherDigest));

    List<EvalProgress> refused = awaitProgress(p -> p.stream().filter(e -> e.kind() == Kind.REFUSED).count() == 2);
    assertThat(refused).filteredOn(e -> e.kind() == Kind.REFUSED).satisfiesExactlyInAnyOrder(
        e -> {
          assertThat(e.checkpointId()).isEqualTo(tampered.checkpointId());
          assertThat(e.suite()).isNull();
          assertThat(e.message()).contains("adapter_model.safetensors sha256 mismatch");
        },
        e -> {
          assertThat(e.checkpointId()).isEqualTo(otherDigest);
          assertThat(e.message()).contains("is not the store path <jobId>/<sha256>");
        });
    topics.awaitCommittedPast(CheckpointConsumer.GROUP, last);
    assertThat(topics.readAll(Topics.EVAL_RESULTS, jobId)).isEmpty();
    assertThat(topics.readAll(Topics.EVAL_PROGRESS, jobId)).extracting(r -> parse(r).kind())
        .containsOnly(Kind.REFUSED);
  }

  @Test
  void aCheckpointDeliveredAgainIsNotScoredAgain() throws Exception {
    publishJob(LIMIT);
    StoredCheckpoint stored;
    try (TestCheckpoints checkpoints = new TestCheckpoints(storeRoot)) {
      stored = checkpoints.write(jobId, 4);
    }
    CheckpointPublished event = TestCheckpoints.event(stored, 10);
    topics.send(Topics.CHECKPOINTS, jobId, event);
    awaitResults(2);

    RecordMetadata again = topics.send(Topics.CHECKPOINTS, jobId, event);
    topics.awaitCommittedPast(CheckpointConsumer.GROUP, again);
    assertThat(TestTopics.parse(topics.readAll(Topics.EVAL_RESULTS, jobId), EvalResult.class))
        .extracting(EvalResult::suite).containsExactlyInAnyOrderElementsOf(SUITES);
  }

  @Test
  void suitesWithAResultAlreadyOnTheTopicAreNotScoredAgain() throws Exception {
    // As after a crash between the first suite's result and the second suite.
    publishJob(LIMIT);
    StoredCheckpoint stored;
    try (TestCheckpoints checkpoints = new TestCheckpoints(storeRoot)) {
      stored = checkpoints.write(jobId, 5);
    }
    long marker = 987_654_321L;
    topics.send(Topics.EVAL_RESULTS, jobId, new EvalResult(EventSchema.CURRENT, jobId, stored.checkpointId(),
        "synthetic-addsub", "1", LIMIT, 0, 0.0, "numeric", Decoding.GREEDY, "llm-adapters-1", marker));
    RecordMetadata sent = topics.send(Topics.CHECKPOINTS, jobId, TestCheckpoints.event(stored, 10));

    awaitResults(2);
    topics.awaitCommittedPast(CheckpointConsumer.GROUP, sent);
    List<EvalResult> results = TestTopics.parse(topics.readAll(Topics.EVAL_RESULTS, jobId), EvalResult.class);
    assertThat(results).extracting(EvalResult::suite).containsExactlyInAnyOrderElementsOf(SUITES);
    assertThat(results).filteredOn(r -> r.suite().equals("synthetic-addsub"))
        .extracting(EvalResult::durationMs).containsExactly(marker);
  }

  @Test
  void checkpointsArrivingTogetherAreSkippedForTheNewest() throws Exception {
    publishJob(LIMIT);
    List<StoredCheckpoint> stored;
    try (TestCheckpoints checkpoints = new TestCheckpoints(storeRoot)) {
      stored = List.of(checkpoints.write(jobId, 6), checkpoints.write(jobId, 7), checkpoints.write(jobId, 8));
    }
    List<RecordMetadata> sent = topics.sendTogether(Topics.CHECKPOINTS, jobId, List.of(
        EventCodec.toJson(TestCheckpoints.event(stored.get(0), 10)),
        EventCodec.toJson(TestCheckpoints.event(stored.get(1), 20)),
        EventCodec.toJson(TestCheckpoints.event(stored.get(2), 30))));
    String newest = stored.get(2).checkpointId();

    awaitResults(r -> r.stream().filter(e -> e.checkpointId().equals(newest)).count() == 2);
    topics.awaitCommittedPast(CheckpointConsumer.GROUP, sent.get(2));
    List<EvalProgress> skipped = TestTopics.parse(topics.readAll(Topics.EVAL_PROGRESS, jobId), EvalProgress.class)
        .stream().filter(e -> e.kind() == Kind.SKIPPED).toList();
    List<EvalResult> results = TestTopics.parse(topics.readAll(Topics.EVAL_RESULTS, jobId), EvalResult.class);
    // Read in one poll, the two older ones never reach the evaluator; each names the one that took
    // its place.
    String byNext = "checkpoint " + stored.get(1).checkpointId() + " (step 20)";
    String byNewest = "checkpoint " + newest + " (step 30)";
    assertThat(skipped).extracting(EvalProgress::checkpointId, e -> e.message().contains(byNext) ? byNext
        : e.message().contains(byNewest) ? byNewest : e.message())
        .containsExactlyInAnyOrder(tuple(stored.get(0).checkpointId(), byNext), tuple(stored.get(1).checkpointId(),
            byNewest));
    assertThat(results).extracting(EvalResult::checkpointId).containsOnly(newest);
  }

  /** The job, scored greedily: the reference beam search is too slow for a shared test machine. */
  private void publishJob(int limit) throws Exception {
    JobSpec spec = new JobSpec(EventSchema.CURRENT, jobId, TestCheckpoints.BASE, null, null, null, null,
        new EvalSpec(SUITES, limit, Decoding.GREEDY), null);
    topics.send(Topics.JOBS, jobId, spec);
  }

  private List<EvalResult> awaitResults(int count) {
    return awaitResults(r -> r.size() >= count);
  }

  private List<EvalResult> awaitResults(Predicate<List<EvalResult>> done) {
    return TestTopics.parse(topics.awaitRecords(Topics.EVAL_RESULTS, jobId,
        records -> done.test(TestTopics.parse(records, EvalResult.class))), EvalResult.class);
  }

  private List<EvalProgress> awaitProgress(Predicate<List<EvalProgress>> done) {
    return TestTopics.parse(topics.awaitRecords(Topics.EVAL_PROGRESS, jobId,
        records -> done.test(TestTopics.parse(records, EvalProgress.class))), EvalProgress.class);
  }

  private static EvalProgress parse(ConsumerRecord<String, String> record) {
    return EventCodec.fromJson(record.value(), EvalProgress.class);
  }
}
