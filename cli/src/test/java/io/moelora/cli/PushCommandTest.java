package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.events.EventCodec;
import io.moelora.events.TrainingExample;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moelora push} against a real in-process broker: keyed, valid records in; invalid items reported. */
class PushCommandTest {

    @TempDir
    Path dir;

    @Test
    void pushesJsonAndJsonlKeyedByJobAndReportsRejects() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")))) {
            Path array = Files.writeString(dir.resolve("train.json"), "[{\"instruction\":\"Add 2 and 3.\",\"input\":\"\","
                    + "\"output\":\"5\",\"answer\":\"5\"},{\"instruction\":\"Add 1 and 1.\",\"output\":\"2\",\"task\":\"math\"}]");
            CliRun.Result r = CliRun.run("push", "--bootstrap", broker.bootstrapServers(), "--job", "job-7", "--file",
                    array.toString(), "--topic", "push-test");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"sent\":2").contains("\"rejected\":0");

            Path lines = Files.writeString(dir.resolve("more.jsonl"),
                    "{\"instruction\":\"Add 4 and 4.\",\"output\":\"8\"}\n\n{\"instruction\":\"\",\"output\":\"x\"}\n");
            CliRun.Result partial = CliRun.run("push", "--bootstrap", broker.bootstrapServers(), "--job", "job-7",
                    "--file", lines.toString(), "--topic", "push-test");
            assertThat(partial.code()).isEqualTo(3);
            assertThat(partial.err()).contains("item 1 rejected").contains("instruction");
            assertThat(partial.out()).contains("\"sent\":1").contains("\"rejected\":1");

            List<ConsumerRecord<String, String>> got = consume(broker.bootstrapServers(), "push-test", 3);
            assertThat(got).extracting(ConsumerRecord::key).containsOnly("job-7");
            List<String> ids = got.stream().map(c -> EventCodec.fromJson(c.value(), TrainingExample.class).exampleId()).toList();
            assertThat(ids).containsExactlyInAnyOrder("train.json-0", "train.json-1", "more.jsonl-0");

            CliRun.Result bad = CliRun.run("push", "--bootstrap", broker.bootstrapServers(), "--job", "../x", "--file",
                    array.toString(), "--topic", "push-test");
            assertThat(bad.code()).isEqualTo(3);
            assertThat(bad.err()).contains("jobId");
        }
    }

    private static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "push-test-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
