package io.moelora.reliability.support;

import io.moelora.events.Topics;
import io.moelora.kafkalocal.BrokerConfig;
import io.moelora.kafkalocal.LocalKafkaBroker;
import io.moelora.kafkalocal.TopicProvisioner;
import io.moelora.kafkalocal.testing.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real broker with the product's topics, and the packaged services as separate JVMs against it, as
 * operators run them. The broker can be restarted on the same ports and data; services keep a state
 * directory under {@code dir} (checkpoints and models).
 */
public final class Stack implements AutoCloseable {

  public static final String TOKEN = "reliability-token";

  private final Path dir;
  private LocalKafkaBroker broker;

  private Stack(Path dir, LocalKafkaBroker broker) {
    this.dir = dir;
    this.broker = broker;
  }

  /** Starts a broker in {@code dir/kafka} and creates every topic. */
  public static Stack start(Path dir) throws IOException {
    var broker = LocalKafkaBroker.start(BrokerConfig.ephemeral(dir.resolve("kafka")));
    try (Admin admin = broker.admin()) {
      TopicProvisioner.ensure(admin, Topics.all());
    } catch (Exception e) {
      broker.close();
      throw new IOException("cannot create the topics", e);
    }
    return new Stack(dir, broker);
  }

  public String bootstrap() {
    return broker.bootstrapServers();
  }

  /** The services' shared state directory (checkpoints/, models/). */
  public Path state() {
    return dir.resolve("state");
  }

  /** Stops the broker, waits {@code down}, and starts it again on the same ports with the same data. */
  public void restartBroker(Duration down) throws IOException, InterruptedException {
    BrokerConfig config = broker.config();
    broker.close();
    Thread.sleep(down.toMillis());
    broker = LocalKafkaBroker.start(config);
  }

  /**
   * Removes every member of each consumer group (committed offsets stay). A JVM killed with
   * SIGKILL never leaves its groups: its member would hold its partitions until the session times
   * out (45 s); removing it, as an operator's tooling would, lets a restarted replica take over at
   * once. A group without members is left as it is.
   */
  public void removeGroupMembers(String... groups) throws InterruptedException {
    try (Admin admin = broker.admin()) {
      for (String group : groups) {
        try {
          admin.removeMembersFromConsumerGroup(group,
              new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions()).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          // no members (or no such group yet): nothing holds its partitions
        }
      }
    }
  }

  public ServiceProcess trainer(String name, Map<String, String> env) throws IOException {
    return trainer(name, env, List.of());
  }

  /** The trainer with {@code jvmOptions} after the launcher's defaults (a later {@code -Xmx} wins). */
  public ServiceProcess trainer(String name, Map<String, String> env, List<String> jvmOptions) throws IOException {
    return ServiceProcess.start(jar("moelora.trainer.jar"), name, bootstrap(), state(), env, jvmOptions);
  }

  public ServiceProcess eval(String name, Map<String, String> env) throws IOException {
    return eval(name, env, List.of());
  }

  /** The evaluator with {@code jvmOptions} after the launcher's defaults (a later {@code -Xmx} wins). */
  public ServiceProcess eval(String name, Map<String, String> env, List<String> jvmOptions) throws IOException {
    return ServiceProcess.start(jar("moelora.eval.jar"), name, bootstrap(), state(), env, jvmOptions);
  }

  /** The gateway on {@code port}, token {@link #TOKEN}, plus {@code env}; returns once it is ready. */
  public ServiceProcess gateway(String name, int port, Map<String, String> env) throws IOException, InterruptedException {
    var all = new HashMap<String, String>(Map.of("QUARKUS_HTTP_PORT", String.valueOf(port),
        "MOELORA_GATEWAY_AUTH_TOKEN", TOKEN));
    all.putAll(env);
    ServiceProcess gateway = ServiceProcess.start(jar("moelora.gateway.jar"), name, bootstrap(), state(), all);
    awaitReady(gateway, port, Duration.ofMinutes(2));
    return gateway;
  }

  /** Waits until {@code /q/health/ready} answers 200 on {@code port}; fails early if the process died. */
  public static void awaitReady(ServiceProcess service, int port, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.alive()) {
        throw new AssertionError("the service exited; see " + service.log());
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new AssertionError("not ready within " + timeout + "; see " + service.log());
  }

  public static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path jar(String property) {
    String path = System.getProperty(property);
    if (path == null) {
      throw new IllegalStateException(property + " is not set (run the suite through Maven)");
    }
    return Path.of(path);
  }

  @Override
  public void close() {
    broker.close();
  }
}
