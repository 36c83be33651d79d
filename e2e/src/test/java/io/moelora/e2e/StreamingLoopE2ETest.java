package io.moelora.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.core.checkpoint.Manifest;
import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SyntheticSuites;
import io.moelora.events.AdapterSpec;
import io.moelora.events.AdapterType;
import io.moelora.events.BatchingSpec;
import io.moelora.events.CheckpointPolicy;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.EvalSpec;
import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.OptimizerSpec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.moelora.kafkalocal.testing.ServiceProcess;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's loop with the packaged trainer and eval services as separate JVMs on a real broker:
 * a job and its examples, produced with a plain Kafka producer, come back as checkpoint events whose
 * digests match the stored files, and as one evaluation result per configured suite.
 */
class StreamingLoopE2ETest {

  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final List<String> SUITES = List.of(SyntheticSuites.CHOICE, SyntheticSuites.ADDSUB);

  @TempDir
  Path dir;

  @Test
  void examplesInCheckpointsAndScoresOut() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = broker.admin()) {
        TopicProvisioner.ensure(admin, Topics.all());
      }
      Path state = dir.resolve("state");
      try (ServiceProcess trainer = ServiceProcess.start(jar("moelora.trainer.jar"), "e2e-trainer", bootstrap, state,
              Map.of());
          ServiceProcess eval = ServiceProcess.start(jar("moelora.eval.jar"), "e2e-eval", bootstrap, state, Map.of());
          KafkaConsumer<String, String> checkpoints = TestKafkaClients.readFromBeginning(bootstrap, Topics.CHECKPOINTS);
          KafkaConsumer<String, String> results = TestKafkaClients.readFromBeginning(bootstrap, Topics.EVAL_RESULTS)) {
        produce(bootstrap, "e2e-job", 16);

        List<CheckpointPublished> published = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
          checkpoints.poll(Duration.ofMillis(100)).forEach(r ->
              published.add(EventCodec.fromJson(r.value(), CheckpointPublished.class)));
          return published.stream().anyMatch(c -> c.examplesSeen() == 16);
        });
        CheckpointPublished last = published.stream().filter(c -> c.examplesSeen() == 16).findFirst().orElseThrow();
        assertThat(published).extracting(CheckpointPublished::examplesSeen).contains(0L, 16L);
        for (CheckpointPublished c : published) {
          assertThat(Manifest.of(Path.of(URI.create(c.uri()))).digest()).as("stored files of %s", c.checkpointId())
              .isEqualTo(c.sha256()).isEqualTo(c.checkpointId());
        }

        List<EvalResult> scored = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
          results.poll(Duration.ofMillis(100)).forEach((ConsumerRecord<String, String> r) ->
              scored.add(EventCodec.fromJson(r.value(), EvalResult.class)));
          return scored.stream().filter(e -> e.checkpointId().equals(last.checkpointId())).count() == SUITES.size();
        });
        List<EvalResult> ofLast = scored.stream().filter(e -> e.checkpointId().equals(last.checkpointId())).toList();
        assertThat(ofLast).extracting(EvalResult::suite).containsExactlyInAnyOrderElementsOf(SUITES);
        assertThat(ofLast).allSatisfy(e -> {
          assertThat(e.jobId()).isEqualTo("e2e-job");
          assertThat(e.n()).isEqualTo(6);
          assertThat(e.decoding()).isEqualTo(Decoding.GREEDY);
        });
        trainer.stop();
        eval.stop();
      }
    }
  }

  private static void produce(String bootstrap, String jobId, int count) throws Exception {
    JobSpec job = new JobSpec(1, jobId, "builtin:tiny",
        new AdapterSpec(AdapterType.MOELORA, 2, 8, 2, 1, List.of("q_proj", "v_proj"), 0.0, 0.1, 0.1, 16, 0.01),
        new OptimizerSpec(1e-3, 0, 0.0), new BatchingSpec(4, 1, 96), new CheckpointPolicy(8, 0),
        new EvalSpec(SUITES, 6, Decoding.GREEDY), (long) count);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.JOBS, jobId, EventCodec.toJson(job))).get();
      List<SuiteExample> items = SyntheticSuites.trainingExamples(SyntheticSuites.CHOICE, 3, count);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SuiteExample e = items.get(i);
        sent.add(producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES, jobId, EventCodec.toJson(
            new TrainingExample(jobId, "e2e-" + i, e.instruction(), e.input(), e.output(), "choice")))));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    }
  }

  private static Path jar(String property) {
    return Path.of(System.getProperty(property));
  }
}
