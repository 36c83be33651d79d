package io.moelora.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository these checks read: its files, the project version and the Kafka client version. */
final class Repo {

  /** The services, by module directory: each has a Dockerfile and an application.properties. */
  static final java.util.List<String> SERVICES = java.util.List.of("trainer-service", "eval-service", "gateway");

  private Repo() {}

  static Path root() {
    return Path.of(System.getProperty("moelora.root", "..")).toAbsolutePath().normalize();
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The image tag of this version: the project version without its -SNAPSHOT suffix. */
  static String imageTag() {
    return System.getProperty("moelora.version", "0.1.0-SNAPSHOT").replace("-SNAPSHOT", "");
  }

  /** kafka-clients' version, e.g. 4.1.2. */
  static String kafkaVersion() {
    return System.getProperty("moelora.kafka.version", "4.1.2");
  }

  /** The packaged application of a service module (built before this module in the reactor). */
  static Path quarkusApp(String module) {
    return file(module + "/target/quarkus-app");
  }
}
