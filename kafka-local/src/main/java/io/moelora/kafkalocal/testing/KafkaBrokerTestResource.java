package io.moelora.kafkalocal.testing;

import io.moelora.events.Topics;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real Kafka broker for {@code @QuarkusTest}s: one in-process {@link LocalKafkaBroker} on
 * free ports with a fresh data directory and the product's topics, deleted again on stop.
 * Use with {@code @WithTestResource(value = KafkaBrokerTestResource.class,
 * scope = TestResourceScope.GLOBAL)} so that all test classes of a module share one broker.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

  /** The config key Quarkus' Kafka connector and health check read. */
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

  private Path dataDir;
  private LocalKafkaBroker broker;

  @Override
  public Map<String, String> start() {
    try {
      dataDir = Files.createTempDirectory("moelora-kafka-test-");
      broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dataDir));
      try (Admin admin = broker.admin()) {
        TopicProvisioner.ensure(admin, Topics.all());
      }
      return Map.of(BOOTSTRAP_SERVERS, broker.bootstrapServers());
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("cannot start the test Kafka broker: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
    if (dataDir != null) {
      deleteRecursively(dataDir);
      dataDir = null;
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
