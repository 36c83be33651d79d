package io.moelora.cli;

import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Publishes a job spec (or deletes a job) on the compacted jobs topic, validated first. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Create or update a training job from a JobSpec file (JSON or YAML) or a recipe, or delete one.")
final class SubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Mixin
    RecipeOptions recipes;

    static final class What {
        @Option(names = "--file", description = "the JobSpec (JSON, or YAML for .yaml/.yml; absent fields take their"
                + " defaults)")
        Path file;

        @Option(names = "--recipe", paramLabel = "NAME", description = "a recipe in --recipes-dir, e.g. lora-r8")
        String recipe;

        @Option(names = "--delete", paramLabel = "JOB", description = "delete this job (a tombstone on the jobs topic)")
        String delete;
    }

    @Override
    public Integer call() throws Exception {
        String key;
        String value;
        if (what.delete == null) {
            JobSpec job = EventCodec.fromJson(recipes.json(what.file, what.recipe), JobSpec.class);
            key = job.jobId();
            value = EventCodec.toJson(job); // with every default made explicit
        } else {
            if (!recipes.sets.isEmpty()) {
                throw new IllegalArgumentException("--set does not apply to --delete");
            }
            if (!what.delete.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new IllegalArgumentException("--delete takes a job id matching [A-Za-z0-9._-]{1,128}, got '"
                        + what.delete + "'");
            }
            key = what.delete;
            value = null;
        }
        try (KafkaProducer<String, String> producer = CliProducers.open(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.JOBS, key, value)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("{\"job\":\"%s\",\"topic\":\"%s\",\"action\":\"%s\"}%n", key, Topics.JOBS,
                value == null ? "deleted" : "submitted");
        return 0;
    }
}
