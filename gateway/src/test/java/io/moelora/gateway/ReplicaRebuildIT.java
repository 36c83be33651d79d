package io.moelora.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.Feed;
import io.moelora.gateway.view.JobView;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.messaging.InboundEvents;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A second replica started from nothing (as after a restart, or beside the running one) rebuilds
 * from the topics exactly the views the application shows, and does not dead-letter again what the
 * gateway group already did.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class ReplicaRebuildIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @ConfigProperty(name = "moelora.gateway.feed.group")
  String group;

  @Inject
  GatewayRuntime runtime;

  @Test
  void aFreshReplicaShowsTheSameBoardsAndJobsAndLosesNothing() throws Exception {
    String jobId = Api.createJob("rebuild");
    Feed feed = new Feed(bootstrap);
    feed.publish(Feed.event(jobId, JobState.TRAINING, 0, 0), Feed.checkpoint(jobId, 0, 0), Feed.checkpoint(jobId, 3, 24),
        Feed.metrics(jobId, 3, 1.25), Feed.result(jobId, jobId + "-s0", "synthetic-choice", 5, 10),
        Feed.result(jobId, jobId + "-s3", "synthetic-choice", 8, 10),
        Feed.result(jobId, jobId + "-s3", "gsm8k", 6, 10), Feed.event(jobId, JobState.CHECKPOINTED, 3, 24));
    String badKey = Api.newJobId("rebuild-bad");
    TestKafkaClients.send(bootstrap, Topics.EVAL_RESULTS, badKey, "{\"schemaVersion\":1,\"jobId\":");

    GatewayNode app = runtime.node();
    await().atMost(WAIT).until(() -> app.boards().best(jobId) != null
        && app.jobs().get(jobId, app.boards()::best).map(JobView::state).orElse("").equals("checkpointed"));
    await().atMost(WAIT).until(() -> deadLetters(badKey) == 1);
    awaitGroupReadPast(Topics.EVAL_RESULTS, badKey);

    List<ConsumerRecord<String, String>> deadAgain = new CopyOnWriteArrayList<>();
    var settings = new GatewayNode.Settings(bootstrap, group, "replica-test", false, 100, 1000, 10_000);
    try (GatewayNode replica = new GatewayNode(settings, new InboundEvents(new SimpleMeterRegistry()),
        (record, reason) -> deadAgain.add(record)).start()) {
      await().atMost(WAIT).until(() -> replica.feed().caughtUp());
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(replica.boards().boards()).isEqualTo(app.boards().boards());
        for (String board : app.boards().boards()) {
          assertThat(replica.boards().board(board, 10_000, false)).as(board)
              .isEqualTo(app.boards().board(board, 10_000, false));
        }
        assertThat(replica.jobs().all(replica.boards()::best)).isEqualTo(app.jobs().all(app.boards()::best));
      });
      assertThat(replica.jobs().metrics(jobId, -1, 100)).isEqualTo(app.jobs().metrics(jobId, -1, 100));
      assertThat(replica.boards().best(jobId).checkpointId()).isEqualTo(jobId + "-s3");
    }
    assertThat(deadAgain).isEmpty();
    assertThat(deadLetters(badKey)).isEqualTo(1);
  }

  private long deadLetters(String key) {
    try (var dlq = TestKafkaClients.readFromBeginning(bootstrap, Topics.dlq(Topics.EVAL_RESULTS))) {
      long n = 0;
      for (int empty = 0; empty < 3; ) {
        var records = dlq.poll(Duration.ofMillis(300));
        if (records.isEmpty()) {
          empty++;
        }
        for (var r : records) {
          if (key.equals(r.key())) {
            n++;
          }
        }
      }
      return n;
    }
  }

  // The gateway group records its read position after each batch: wait until it covers the bad record.
  private void awaitGroupReadPast(String topic, String key) throws Exception {
    ConsumerRecord<String, String> bad;
    try (var records = TestKafkaClients.readFromBeginning(bootstrap, topic)) {
      List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
      await().atMost(WAIT).until(() -> {
        records.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().anyMatch(r -> key.equals(r.key()));
      });
      bad = seen.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }
    TopicPartition tp = new TopicPartition(bad.topic(), bad.partition());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      await().atMost(WAIT).until(() -> Optional.ofNullable(
              admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp))
          .map(o -> o.offset() > bad.offset()).orElse(false));
    }
  }
}
