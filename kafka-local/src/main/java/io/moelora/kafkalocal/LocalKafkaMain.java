package io.moelora.kafkalocal;

import io.moelora.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's broker as its own process: starts {@link LocalKafkaBroker}, creates
 * the product's topics, prints {@code ready at <host>:<port>} and runs until SIGTERM.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the broker fails, 2 for bad arguments, 3 when
 * something already listens on one of its ports (a broker already running, most likely).
 */
public final class LocalKafkaMain {

  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_PORT_IN_USE = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaMain.class);

  private LocalKafkaMain() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs until the broker stops; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(LocalKafkaOptions.USAGE);
      return 0;
    }
    LocalKafkaOptions options;
    try {
      options = LocalKafkaOptions.parse(args, System.getenv());
    } catch (LocalKafkaOptions.UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(LocalKafkaOptions.USAGE);
      return EXIT_USAGE;
    }
    for (int port : new int[] {options.port(), options.controllerPort()}) {
      if (isListening(options.host(), port)) {
        err.println("error: something already listens on " + options.host() + ":" + port
            + " (another Kafka broker?); not starting. Stop it or choose --port/--controller-port.");
        return EXIT_PORT_IN_USE;
      }
    }
    try {
      return serve(options, out);
    } catch (Exception e) {
      LOG.error("Kafka broker failed", e);
      err.println("error: Kafka broker failed: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static int serve(LocalKafkaOptions options, PrintStream out) throws Exception {
    Path pidFile = options.pidFile();
    LocalKafkaBroker broker = LocalKafkaBroker.start(options.brokerConfig());
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping Kafka broker at {}", broker.bootstrapServers());
      broker.close();
      deleteQuietly(pidFile);
      stopped.countDown();
    }, "moelora-kafka-shutdown"));
    Files.createDirectories(pidFile.getParent());
    Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    try (Admin admin = broker.admin()) {
      List<String> created = TopicProvisioner.ensure(admin, Topics.all());
      if (!created.isEmpty()) {
        LOG.info("Created topics {}", created);
      }
    }
    LOG.info("Kafka data in {}, PID file {}", options.dataDir().toAbsolutePath(), pidFile);
    out.println("ready at " + broker.bootstrapServers());
    out.flush();
    stopped.await();
    return 0;
  }

  static boolean isListening(String host, int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.getMessage());
    }
  }
}
