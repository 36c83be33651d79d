package io.moelora.bench;

import io.moelora.events.Topics;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.moelora.kafkalocal.testing.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * A real Kafka broker (in this JVM, as the embedded default's broker is one JVM of its own) with the
 * product's topics, and the packaged services started against it as separate JVMs. Everything lives
 * in a temporary directory that is deleted on close.
 */
final class PipelineStack implements AutoCloseable {

    /** The gateway's bearer token in the benchmarks. */
    static final String TOKEN = "bench-token";
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final Path repoRoot;
    private final LocalKafkaBroker broker;

    private PipelineStack(Path dir, Path repoRoot, LocalKafkaBroker broker) {
        this.dir = dir;
        this.repoRoot = repoRoot;
        this.broker = broker;
    }

    /** Starts a broker and creates every topic; {@code repoRoot} is where the services' jars are built. */
    static PipelineStack start(Path repoRoot) throws IOException {
        for (ServiceKind kind : ServiceKind.values()) {
            if (!Files.isRegularFile(kind.jar(repoRoot))) {
                throw new IOException(kind.jar(repoRoot) + " is missing: package the services first (mvn -DskipTests "
                        + "-pl trainer-service,eval-service,gateway -am package)");
            }
        }
        Path dir = Files.createTempDirectory("moelora-bench-");
        var broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")));
        try (Admin admin = broker.admin()) {
            TopicProvisioner.ensure(admin, Topics.all());
        } catch (Exception e) {
            broker.close();
            throw new IOException("cannot create the topics", e);
        }
        return new PipelineStack(dir, repoRoot, broker);
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    Path repoRoot() {
        return repoRoot;
    }

    /** Starts a service and returns once it is ready. */
    RunningService start(ServiceKind kind, String name, ServiceSettings settings, Map<String, String> env)
            throws IOException, InterruptedException {
        RunningService service = launch(kind, name, settings, env);
        try {
            return service.awaitReady(START_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /**
     * Starts a service without waiting for it (several start side by side); call
     * {@link RunningService#awaitReady} before using it.
     */
    RunningService launch(ServiceKind kind, String name, ServiceSettings settings, Map<String, String> env)
            throws IOException {
        int port = freePort();
        Map<String, String> all = new HashMap<>(settings.env());
        all.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        if (kind == ServiceKind.GATEWAY) {
            all.put("MOELORA_GATEWAY_AUTH_TOKEN", TOKEN);
        }
        all.putAll(env);
        List<String> jvm = new ArrayList<>(kind.jvmOptions());
        jvm.addAll(settings.jvmOptions());
        ServiceProcess process = ServiceProcess.start(kind.jar(repoRoot), name, bootstrap(), dir.resolve("state"), all,
                jvm);
        return new RunningService(kind, process, port);
    }

    /**
     * Deletes every record of {@code topics} (each log's start moves to its end), so the next service
     * started reads none of an earlier run's work: a trainer would otherwise re-read examples no
     * checkpoint covers, an eval service score checkpoints no one scored.
     */
    void truncate(String... topics) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topics)).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest())));
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest).all().get()
                    .forEach((p, info) -> delete.put(p, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
