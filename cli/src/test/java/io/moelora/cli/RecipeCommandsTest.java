package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.moelora.events.AdapterType;
import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs from recipes ({@code submit}/{@code jobs create --recipe}) and the experiment fan-out of {@code push}. */
class RecipeCommandsTest {

    @TempDir
    Path dir;

    /** The repository's recipes directory, found upwards from the module the test runs in. */
    static Path recipesDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("recipes")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d.resolve("recipes");
            }
        }
        throw new IllegalStateException("no recipes/ directory above " + Path.of("").toAbsolutePath());
    }

    @Test
    void recipesBecomeJobsOfAnExperimentAndTheFanOutFeedsThemTheSameSequence() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")))) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = broker.admin()) {
                TopicProvisioner.ensure(admin, Topics.all());
            }
            String recipes = recipesDir().toString();
            // Job ids chosen to land on different partitions of the 6, so the order is per partition, not global.
            List<String> members = List.of("cmp-lora", "cmp-moe", "cmp-nocl");
            List<String> recipeNames = List.of("lora-r8", "moelora-4x2-top2", "moelora-4x2-top2-nocl");
            for (int i = 0; i < members.size(); i++) {
                CliRun.Result r = CliRun.run("submit", "--bootstrap", bootstrap, "--recipe", recipeNames.get(i),
                        "--recipes-dir", recipes, "--set", "jobId=" + members.get(i), "--set", "experiment=cmp",
                        "--set", "maxExamples=1000");
                assertThat(r.code()).as(r.err()).isZero();
            }
            // A YAML file outside the experiment, and a job that left it (deleted): neither gets its examples.
            Path other = Files.writeString(dir.resolve("other.yaml"), "jobId: other\nbaseModel: builtin:tiny\n");
            assertThat(CliRun.run("submit", "--bootstrap", bootstrap, "--file", other.toString()).code()).isZero();
            CliRun.Result gone = CliRun.run("submit", "--bootstrap", bootstrap, "--recipe", "lora-r8", "--recipes-dir",
                    recipes, "--set", "jobId=cmp-gone", "--set", "experiment=cmp");
            assertThat(gone.code()).as(gone.err()).isZero();
            assertThat(CliRun.run("submit", "--bootstrap", bootstrap, "--delete", "cmp-gone").code()).isZero();

            CliRun.Result bad = CliRun.run("submit", "--bootstrap", bootstrap, "--recipe", "lora-r8", "--recipes-dir",
                    recipes, "--set", "adapter.rnak=4");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).startsWith("error: lora-r8.yaml: unknown key 'adapter.rnak'");
            CliRun.Result missing = CliRun.run("submit", "--bootstrap", bootstrap, "--recipe", "nope", "--recipes-dir",
                    recipes);
            assertThat(missing.code()).isEqualTo(2);
            assertThat(missing.err()).contains("no recipe 'nope'").contains("lora-r8");

            Map<String, JobSpec> specs = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : readAll(bootstrap, Topics.JOBS)) {
                if (r.value() != null) {
                    specs.put(r.key(), EventCodec.fromJson(r.value(), JobSpec.class));
                }
            }
            assertThat(specs.get("cmp-lora").adapter().type()).isEqualTo(AdapterType.LORA);
            assertThat(specs.get("cmp-moe").adapter().contrastiveWeight()).isEqualTo(0.1);
            assertThat(specs.get("cmp-nocl").adapter().contrastiveWeight()).isZero();
            assertThat(specs.get("cmp-moe").experiment()).isEqualTo("cmp");
            assertThat(specs.get("cmp-moe").maxExamples()).isEqualTo(1000);
            assertThat(specs.get("other").experiment()).isNull();

            CliRun.Result pushed = CliRun.run("push", "--bootstrap", bootstrap, "--experiment", "cmp", "--synthetic",
                    "synthetic-choice,synthetic-addsub", "--count", "20");
            assertThat(pushed.code()).as(pushed.err()).isZero();
            assertThat(pushed.out()).contains("\"sent\":40").contains("\"jobs\":[\"cmp-lora\",\"cmp-moe\",\"cmp-nocl\"]");

            Map<String, List<String>> idsByJob = new LinkedHashMap<>();
            Map<String, List<String>> textsByJob = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : readAll(bootstrap, Topics.TRAINING_EXAMPLES)) {
                TrainingExample e = EventCodec.fromJson(r.value(), TrainingExample.class);
                assertThat(e.jobId()).isEqualTo(r.key());
                idsByJob.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e.exampleId());
                textsByJob.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e.instruction() + e.output());
            }
            assertThat(idsByJob.keySet()).containsExactlyInAnyOrderElementsOf(members);
            List<String> first = idsByJob.get("cmp-lora");
            assertThat(first).hasSize(40).doesNotHaveDuplicates();
            for (String job : members) {
                assertThat(idsByJob.get(job)).as(job).containsExactlyElementsOf(first);
                assertThat(textsByJob.get(job)).as(job).containsExactlyElementsOf(textsByJob.get("cmp-lora"));
            }

            CliRun.Result empty = CliRun.run("push", "--bootstrap", bootstrap, "--experiment", "none", "--synthetic",
                    "synthetic-choice", "--count", "1");
            assertThat(empty.code()).isEqualTo(2);
            assertThat(empty.err()).contains("no job on moelora.jobs names experiment none");
        }
    }

    @Test
    void jobsCreateSendsTheRecipeWithItsOverridesToTheGateway() throws Exception {
        AtomicReference<String> body = new AtomicReference<>();
        AtomicReference<String> type = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/jobs", exchange -> {
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            type.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] reply = ("{\"jobId\":\"m1\",\"state\":\"submitted\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        try {
            String gateway = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRun.Result created = CliRun.run("jobs", "create", "--gateway", gateway, "--recipe", "moelora-8x1-top2",
                    "--recipes-dir", recipesDir().toString(), "--set", "jobId=m1", "--set", "adapter.topK=1",
                    "--set", "optimizer.lr=1e-4", "--set", "eval.suites=synthetic-addsub");
            assertThat(created.code()).as(created.err()).isZero();
            assertThat(created.err()).contains("created job m1");
            assertThat(type.get()).startsWith("application/json");
            JobSpec sent = EventCodec.fromJson(body.get(), JobSpec.class);
            assertThat(sent.jobId()).isEqualTo("m1");
            assertThat(sent.adapter().experts()).isEqualTo(8);
            assertThat(sent.adapter().topK()).isEqualTo(1);
            assertThat(sent.optimizer().lr()).isEqualTo(1e-4);
            assertThat(sent.eval().suites()).containsExactly("synthetic-addsub");

            // A YAML file is read as a recipe; a JSON file without --set is sent as written.
            Path yaml = Files.writeString(dir.resolve("job.yml"), "# a job\njobId: y1\nbaseModel: builtin:tiny\n"
                    + "optimizer:\n  lr: 3e-4\n");
            assertThat(CliRun.run("jobs", "create", "--gateway", gateway, "--file", yaml.toString()).code()).isZero();
            assertThat(EventCodec.fromJson(body.get(), JobSpec.class).optimizer().lr()).isEqualTo(3e-4);
            String raw = "{\"jobId\":\"j1\",\"baseModel\":\"builtin:tiny\",\"future\":1}";
            Path json = Files.writeString(dir.resolve("job.json"), raw);
            assertThat(CliRun.run("jobs", "create", "--gateway", gateway, "--file", json.toString()).code()).isZero();
            assertThat(body.get()).isEqualTo(raw);

            body.set(null);
            CliRun.Result refused = CliRun.run("jobs", "create", "--gateway", gateway, "--recipe", "lora-r8",
                    "--recipes-dir", recipesDir().toString(), "--set", "adapter.rank=zero");
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).isEqualTo("error: lora-r8.yaml: adapter.rank must be an integer, got 'zero'\n");
            assertThat(body.get()).as("nothing is sent for an invalid recipe").isNull();
            CliRun.Result both = CliRun.run("jobs", "create", "--gateway", gateway, "--recipe", "lora-r8",
                    "--file", json.toString());
            assertThat(both.code()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && Instant.now().isBefore(deadline)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
