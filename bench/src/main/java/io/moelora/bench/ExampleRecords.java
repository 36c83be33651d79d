package io.moelora.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SyntheticSuites;
import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.moelora.messaging.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Training examples of the built-in choice task, as records, as a gateway upload, and onto the topic. */
final class ExampleRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 7;

    private ExampleRecords() {}

    /** {@code count} examples for {@code jobId} with ids {@code prefix-0 ..}. */
    static List<TrainingExample> of(String jobId, String prefix, int count) {
        List<SuiteExample> items = SyntheticSuites.trainingExamples(SyntheticSuites.CHOICE, SEED, count);
        List<TrainingExample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SuiteExample e = items.get(i);
            out.add(new TrainingExample(jobId, prefix + "-" + i, e.instruction(), e.input(), e.output(), "choice"));
        }
        return out;
    }

    /**
     * A JSON-lines upload body as a client sends it: no schemaVersion, jobId or exampleId (the gateway
     * adds them: the job of the path, {@code <idPrefix>-<index>}).
     */
    static byte[] uploadBody(List<TrainingExample> examples) {
        StringBuilder body = new StringBuilder(examples.size() * 160);
        for (TrainingExample e : examples) {
            ObjectNode line = JSON.createObjectNode().put("instruction", e.instruction()).put("input", e.input())
                    .put("output", e.output()).put("task", e.task());
            body.append(line).append('\n');
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code examples} keyed by their job with the services' producer settings, and waits for all. */
    static void send(String bootstrap, List<TrainingExample> examples) throws Exception {
        try (var producer = new KafkaProducer<String, String>(KafkaClients.producer(bootstrap, "bench-examples"))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(examples.size());
            for (TrainingExample e : examples) {
                String value = EventCodec.toJson(e);
                sent.add(producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES, e.jobId(), value)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Publishes a job spec, as {@code moelora submit --bootstrap} does. */
    static void submit(String bootstrap, JobSpec spec) throws Exception {
        TestKafkaClients.send(bootstrap, Topics.JOBS, spec.jobId(), EventCodec.toJson(spec));
    }
}
