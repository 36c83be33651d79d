package io.moelora.kafkalocal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) running in this
 * JVM from the Maven jars: the embedded default's broker and the tests' broker. Its data
 * directory is formatted on first start only, so data survives restarts.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final BrokerConfig config;
  private final KafkaRaftServer server;
  private boolean closed;

  private LocalKafkaBroker(BrokerConfig config, KafkaRaftServer server) {
    this.config = config;
    this.server = server;
  }

  /**
   * Formats {@code config.dataDir()} if needed, starts the broker and returns once it answers
   * metadata requests. Ports given as 0 are picked here; {@link #config()} tells which.
   */
  public static LocalKafkaBroker start(BrokerConfig config) throws IOException {
    BrokerConfig resolved = config.withFreePorts();
    if (StorageFormat.ensureFormatted(resolved.dataDir())) {
      LOG.info("Formatted new Kafka storage in {}", resolved.dataDir());
    }
    Map<String, String> props = BrokerProperties.of(resolved);
    var server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    var broker = new LocalKafkaBroker(resolved, server);
    try {
      server.startup();
      broker.awaitReady(READY_TIMEOUT);
    } catch (RuntimeException | IOException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** The resolved config: actual ports, so a restart can reuse the same address. */
  public BrokerConfig config() {
    return config;
  }

  /** {@code host:port} for Kafka clients. */
  public String bootstrapServers() {
    return config.bootstrapServers();
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
  }

  // startup() returns before the broker is unfenced; a client needs a broker in the metadata.
  private void awaitReady(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    try (Admin admin = admin()) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IOException("Kafka broker at " + bootstrapServers()
                + " not ready after " + timeout.toSeconds() + " s", e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the Kafka broker", e);
    }
  }

  /** Stops the broker cleanly (flushes logs, writes a clean-shutdown marker). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }
}
