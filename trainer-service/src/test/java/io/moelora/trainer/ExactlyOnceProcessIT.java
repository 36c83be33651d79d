package io.moelora.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.train.ExampleChecksum;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.trainer.support.Jobs;
import io.moelora.kafkalocal.testing.TopicLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once training across crashes and partition moves, with the packaged trainer as separate
 * JVMs: the examples trained (count and an order-independent checksum of their ids, both stored in
 * the final checkpoint) must equal the examples produced.
 */
class ExactlyOnceProcessIT {

  private static final Duration WAIT = Duration.ofMinutes(4);

  @TempDir
  static Path dir;
  static LocalKafkaBroker broker;
  static String bootstrap;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")));
    try (Admin admin = broker.admin()) {
      TopicProvisioner.ensure(admin, Topics.all());
    }
    bootstrap = broker.bootstrapServers();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void killNineWhileTrainingLosesAndRepeatsNothing() throws Exception {
    String jobId = "crash-job";
    Path state = dir.resolve("crash-state");
    TestKafkaClients.send(bootstrap, Topics.JOBS, jobId, EventCodec.toJson(Jobs.small(jobId, 8, 200)));
    // 124: the last 4 are trained but in no checkpoint when the first trainer dies, at the latest.
    TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "ex", 0, 124));

    try (TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS);
        TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS)) {
      try (ServiceProcess first = trainer("crash-first", bootstrap, state)) {
        events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && event(r).state() == JobState.CHECKPOINTED
            && event(r).examplesSeen() >= 16);
        first.kill9();
      }
      long beforeCrash = checkpointsOf(checkpoints, jobId).size();
      TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(jobId, "ex", 124, 76));

      try (ServiceProcess second = trainer("crash-second", bootstrap, state)) {
        events.awaitFirst(WAIT, r -> jobId.equals(r.key()) && event(r).state() == JobState.COMPLETED);
        second.stop();
      }
      assertThat(events.byKey(jobId).stream().map(ExactlyOnceProcessIT::event)
          .filter(e -> e.state() == JobState.TRAINING).map(JobEvent::reason))
          .hasSize(2).anyMatch(r -> r.startsWith("resumed from checkpoint"));
      List<CheckpointPublished> all = checkpointsOf(checkpoints, jobId);
      assertThat(all.size()).isGreaterThan((int) beforeCrash);
      assertFinalCheckpoint(state, all.get(all.size() - 1), 200, Jobs.ids("ex", 0, 200));
    }
  }

  @Test
  void jobsMoveToANewReplicaAndFinishExactlyOnce() throws Exception {
    Path state = dir.resolve("move-state");
    // Job ids whose records land in different partitions, so the two replicas share the work.
    List<String> jobs = List.of("move-a", "move-b", "move-c", "move-d");
    for (String job : jobs) {
      TestKafkaClients.send(bootstrap, Topics.JOBS, job, EventCodec.toJson(Jobs.small(job, 8, 96)));
      // 52: each job ends with 4 examples trained (or buffered) but in no checkpoint.
      TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(job, job, 0, 52));
    }
    try (TopicLog events = new TopicLog(bootstrap, Topics.JOB_EVENTS);
        TopicLog checkpoints = new TopicLog(bootstrap, Topics.CHECKPOINTS);
        ServiceProcess first = trainer("move-first", bootstrap, state)) {
      for (String job : jobs) {
        events.awaitFirst(WAIT, r -> job.equals(r.key()) && event(r).state() == JobState.CHECKPOINTED
            && event(r).examplesSeen() == 48);
      }
      try (ServiceProcess second = trainer("move-second", bootstrap, state)) {
        // The second replica joins: the partitions it takes over move their jobs to it, which
        // resume from their checkpoints and re-read what came after.
        events.awaitFirst(WAIT, r -> jobs.contains(r.key()) && event(r).state() == JobState.TRAINING
            && event(r).reason().startsWith("resumed from checkpoint"));
        first.stop(); // and the first leaves: the rest moves too
        for (String job : jobs) {
          TestKafkaClients.sendAll(bootstrap, Topics.TRAINING_EXAMPLES, Jobs.examples(job, job, 52, 44));
        }
        for (String job : jobs) {
          events.awaitFirst(WAIT, r -> job.equals(r.key()) && event(r).state() == JobState.COMPLETED);
        }
        second.stop();
      }
      for (String job : jobs) {
        List<CheckpointPublished> all = checkpointsOf(checkpoints, job);
        assertFinalCheckpoint(state, all.get(all.size() - 1), 96, Jobs.ids(job, 0, 96));
      }
    }
  }

  private static ServiceProcess trainer(String name, String bootstrap, Path state) throws java.io.IOException {
    Path jar = Path.of(System.getProperty("moelora.trainer.jar", "target/quarkus-app/quarkus-run.jar"));
    return ServiceProcess.start(jar, name, bootstrap, state, java.util.Map.of());
  }

  private static void assertFinalCheckpoint(Path state, CheckpointPublished last, long count, List<String> ids) {
    assertThat(last.examplesSeen()).isEqualTo(count);
    try (LoadedModel base = ModelLoader.load(Path.of("builtin:tiny"), null);
        LoadedCheckpoint loaded = new CheckpointStore(state.resolve("checkpoints"))
            .open(URI.create(last.uri()), base.model())) {
      assertThat(loaded.state().examplesSeen()).isEqualTo(count);
      assertThat(loaded.state().exampleChecksum()).as("checksum of the trained example ids")
          .isEqualTo(ExampleChecksum.of(ids));
    }
  }

  private static List<CheckpointPublished> checkpointsOf(TopicLog log, String jobId) {
    List<CheckpointPublished> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : log.byKey(jobId)) {
      out.add(EventCodec.fromJson(r.value(), CheckpointPublished.class));
    }
    out.sort(java.util.Comparator.comparingLong(CheckpointPublished::examplesSeen));
    return out;
  }

  private static JobEvent event(ConsumerRecord<String, String> r) {
    return EventCodec.fromJson(r.value(), JobEvent.class);
  }
}
