package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit}, {@code push --synthetic} and {@code watch} against a real in-process broker. */
class JobCommandsTest {

    @TempDir
    Path dir;

    @Test
    void submitsJobsPushesSyntheticDataAndWatchesTheGain() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")))) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = broker.admin()) {
                TopicProvisioner.ensure(admin, Topics.all());
            }

            Path spec = Files.writeString(dir.resolve("job.json"),
                    "{\"schemaVersion\":1,\"jobId\":\"demo\",\"baseModel\":\"tiny\",\"maxExamples\":100}");
            CliRun.Result submitted = CliRun.run("submit", "--bootstrap", bootstrap, "--file", spec.toString());
            assertThat(submitted.code()).as(submitted.err()).isZero();
            Path bad = Files.writeString(dir.resolve("bad.json"),
                    "{\"schemaVersion\":1,\"jobId\":\"demo\",\"baseModel\":\"../etc\"}");
            CliRun.Result refused = CliRun.run("submit", "--bootstrap", bootstrap, "--file", bad.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("'..'");
            assertThat(CliRun.run("submit", "--bootstrap", bootstrap, "--delete", "demo").code()).isZero();
            List<ConsumerRecord<String, String>> jobs = read(bootstrap, Topics.JOBS, 2);
            assertThat(jobs).extracting(ConsumerRecord::key).containsExactly("demo", "demo");
            JobSpec job = EventCodec.fromJson(jobs.get(0).value(), JobSpec.class);
            assertThat(job.maxExamples()).isEqualTo(100);
            assertThat(jobs.get(0).value()).contains("\"adapter\":{"); // defaults written out
            assertThat(jobs.get(1).value()).isNull();

            CliRun.Result pushed = CliRun.run("push", "--bootstrap", bootstrap, "--job", "demo", "--synthetic",
                    "synthetic-choice,synthetic-addsub", "--count", "3");
            assertThat(pushed.code()).as(pushed.err()).isZero();
            List<String> tasks = read(bootstrap, Topics.TRAINING_EXAMPLES, 6).stream()
                    .map(r -> EventCodec.fromJson(r.value(), TrainingExample.class).task()).toList();
            assertThat(tasks).containsExactly("synthetic-choice", "synthetic-addsub", "synthetic-choice",
                    "synthetic-addsub", "synthetic-choice", "synthetic-addsub");

            String base = "a".repeat(64);
            String later = "b".repeat(64);
            TestKafkaClients.sendAll(bootstrap, Topics.CHECKPOINTS, List.of(
                    Map.entry("demo", EventCodec.toJson(checkpoint(base, 0))),
                    Map.entry("demo", EventCodec.toJson(checkpoint(later, 10)))));
            TestKafkaClients.sendAll(bootstrap, Topics.EVAL_RESULTS, List.of(
                    Map.entry("demo", EventCodec.toJson(result(base, 1))),
                    Map.entry("demo", EventCodec.toJson(result(later, 4)))));
            CliRun.Result reached = CliRun.run("watch", "--bootstrap", bootstrap, "--job", "demo", "--until-gain", "20",
                    "--timeout", "60");
            assertThat(reached.code()).as(reached.err()).isZero();
            assertThat(reached.out()).contains("base model").contains("+30.00 vs base").contains("gain of at least 20.0");
            CliRun.Result timedOut = CliRun.run("watch", "--bootstrap", bootstrap, "--job", "demo", "--until-gain", "50",
                    "--timeout", "3");
            assertThat(timedOut.code()).isEqualTo(4);
            assertThat(timedOut.err()).contains("timed out after 3 s");
        }
    }

    private static CheckpointPublished checkpoint(String id, long step) {
        return new CheckpointPublished(1, "demo", id, step, step * 16, "file:///store/demo/" + id, id,
                AdapterType.MOELORA, 1000, Map.of(), Instant.now());
    }

    private static EvalResult result(String checkpointId, int correct) {
        return new EvalResult(1, "demo", checkpointId, "synthetic-choice", "1", 10, correct,
                EvalResult.accuracyOf(correct, 10), "choice", Decoding.GREEDY, "llm-adapters-1", 100);
    }

    private static List<ConsumerRecord<String, String>> read(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = TestKafkaClients.readFromBeginning(bootstrap, topic)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
        return out;
    }
}
