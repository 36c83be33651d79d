package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora push}: produces a file of examples (JSON array or JSONL of {instruction, input, output,
 * task}) to the training-examples topic, keyed by jobId, idempotently and acknowledged by all replicas.
 * Invalid items are reported with their index and reason and not sent; the exit code is 3 when any
 * item was rejected, so scripts notice. With {@code --gateway} the items go through the gateway's REST API
 * instead (see {@link GatewayPush}), which validates them.
 *
 * <p>{@code --experiment ID} instead of {@code --job} fans the examples out: each one is written once per
 * job whose current spec names the experiment, with the same exampleId, item by item in file order, keyed
 * by each job, so every job's partition holds the same sequence and the jobs' checkpoints compare step for
 * step.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Produce training examples to Kafka for a job, or send them through the gateway (--gateway).")
final class PushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--job", description = "the job the examples are for (the record key)")
    String job;

    @Option(names = "--experiment", paramLabel = "ID", description = "instead of --job: every job whose spec names"
            + " this experiment gets each example, in the same order, with the same exampleId")
    String experiment;

    @Option(names = "--file", description = "JSON array or JSONL of {instruction, input, output[, task]}")
    Path file;

    @Option(names = "--synthetic", split = ",", description = "instead of --file: training items of these built-in"
            + " suites (${COMPLETION-CANDIDATES}), interleaved", completionCandidates = SyntheticNames.class)
    List<String> synthetic;

    @Option(names = "--count", defaultValue = "1000", description = "items per --synthetic suite (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the --synthetic items (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--topic", defaultValue = Topics.TRAINING_EXAMPLES, description = "(default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--id-prefix", description = "exampleId prefix (default: the file name); ids are <prefix>-<index>")
    String idPrefix;

    @Option(names = "--gateway", paramLabel = "URL", description = "send through this gateway's REST API"
            + " (POST /api/jobs/ID/examples) instead of to Kafka; --bootstrap and --topic do not apply")
    String gateway;

    // No ${DEFAULT-VALUE} in the description: help must not print the token.
    @Option(names = "--token", defaultValue = "${env:MOELORA_GATEWAY_TOKEN}",
            description = "with --gateway: its bearer token (default: $MOELORA_GATEWAY_TOKEN)")
    String token;

    @Option(names = "--chunk", defaultValue = "500", description = "with --gateway: items per request (default: ${DEFAULT-VALUE})")
    int chunk;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if ((file == null) == (synthetic == null)) {
            throw new IllegalArgumentException("give exactly one of --file and --synthetic");
        }
        if ((job == null) == (experiment == null)) {
            throw new IllegalArgumentException("give exactly one of --job and --experiment");
        }
        List<JsonNode> items = file != null ? read(file) : SyntheticItems.interleaved(synthetic, seed, count);
        String prefix = idPrefix != null ? idPrefix
                : file != null ? file.getFileName().toString() : "synthetic-" + seed;
        if (gateway != null) {
            if (!Topics.TRAINING_EXAMPLES.equals(topic)) {
                throw new IllegalArgumentException("--topic does not apply with --gateway: the gateway writes to "
                        + Topics.TRAINING_EXAMPLES);
            }
            GatewayClient client = new GatewayClient(gateway, token);
            return experiment != null
                    ? GatewayPush.pushExperiment(client, experiment, items, prefix, chunk, spec.commandLine().getOut(), err)
                    : GatewayPush.push(client, job, items, prefix, chunk, spec.commandLine().getOut(), err);
        }
        List<String> jobs = experiment == null ? List.of(job)
                : ExperimentJobs.read(bootstrap, experiment, java.time.Duration.ofSeconds(30));
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no job on " + Topics.JOBS + " names experiment " + experiment
                    + "; create its jobs first, e.g. moelora submit --recipe lora-r8 --set experiment=" + experiment);
        }
        List<TrainingExample> examples = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode n = items.get(i);
            try {
                examples.add(new TrainingExample(jobs.get(0), prefix + "-" + i, text(n, "instruction"),
                        text(n, "input"), text(n, "output"), n.hasNonNull("task") ? n.get("task").asText() : null));
            } catch (IllegalArgumentException e) {
                rejected++;
                err.printf("item %d rejected: %s%n", i, e.getMessage());
            }
        }
        long records = (long) examples.size() * jobs.size();
        try (KafkaProducer<String, String> producer = CliProducers.open(bootstrap)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            long n = 0;
            // Example by example, each to every job: one producer keeps the order within each job's partition.
            for (TrainingExample e : examples) {
                for (String j : jobs) {
                    TrainingExample copy = new TrainingExample(j, e.exampleId(), e.instruction(), e.input(), e.output(),
                            e.task());
                    sent.add(producer.send(new ProducerRecord<>(topic, j, EventCodec.toJson(copy))));
                    n++;
                    if (n % 1000 == 0 || n == records) {
                        err.printf("\rpushed %d/%d", n, records);
                        err.flush();
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS); // surfaces any send failure
            }
        } catch (org.apache.kafka.common.errors.TimeoutException | java.util.concurrent.TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
        err.println();
        if (experiment == null) {
            spec.commandLine().getOut().printf("{\"sent\":%d,\"rejected\":%d,\"topic\":\"%s\",\"job\":\"%s\"}%n",
                    examples.size(), rejected, topic, job);
        } else {
            spec.commandLine().getOut().printf("{\"sent\":%d,\"rejected\":%d,\"topic\":\"%s\",\"experiment\":\"%s\","
                    + "\"jobs\":[%s]}%n", examples.size(), rejected, topic, experiment,
                    String.join(",", jobs.stream().map(j -> "\"" + j + "\"").toList()));
        }
        return rejected == 0 ? 0 : 3;
    }

    private static List<JsonNode> read(Path file) throws Exception {
        String content = Files.readString(file);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        if (content.stripLeading().startsWith("[")) {
            JsonNode root;
            try {
                root = json.readTree(content);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
            }
            root.forEach(out::add);
            return out;
        }
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                out.add(json.readTree(lines[i]));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return field.equals("input") ? "" : null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    /** Names offered for {@code --synthetic}. */
    static final class SyntheticNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return io.moelora.core.eval.SyntheticSuites.NAMES.iterator();
        }
    }
}
