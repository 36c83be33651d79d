package io.moelora.kafkalocal;

import java.nio.file.Path;
import java.util.Map;

/**
 * Command-line options of {@link LocalKafkaMain}.
 *
 * @param host           {@code --host}, default 127.0.0.1
 * @param port           {@code --port}, default 9092
 * @param controllerPort {@code --controller-port}, default 9093
 * @param dataDir        {@code --data-dir}, default {@code $MOELORA_STATE_DIR/kafka}, where
 *                       MOELORA_STATE_DIR defaults to {@code $HOME/.local/state/moelora}
 */
public record LocalKafkaOptions(String host, int port, int controllerPort, Path dataDir) {

  public static final String USAGE = """
      usage: moelora-kafka-local [--host H] [--port P] [--controller-port C] [--data-dir DIR]
        --host             address to listen on and advertise (default 127.0.0.1)
        --port             client port (default 9092)
        --controller-port  KRaft controller port (default 9093)
        --data-dir         broker data (default ${MOELORA_STATE_DIR:-$HOME/.local/state/moelora}/kafka)
      Writes <data-dir>/../kafka.pid while running; stop it with SIGTERM.""";

  /** Thrown for arguments that cannot be parsed; the message says which. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Parses {@code args}; {@code env} supplies MOELORA_STATE_DIR and HOME for the default. */
  public static LocalKafkaOptions parse(String[] args, Map<String, String> env)
      throws UsageException {
    String host = BrokerConfig.DEFAULT_HOST;
    int port = 9092;
    int controllerPort = 9093;
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new UsageException("missing value for " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = portValue(name, value);
        case "--controller-port" -> controllerPort = portValue(name, value);
        case "--data-dir" -> dataDir = Path.of(value);
        default -> throw new UsageException("unknown option " + name);
      }
    }
    if (port == controllerPort) {
      throw new UsageException("--port and --controller-port must differ, both are " + port);
    }
    return new LocalKafkaOptions(host, port, controllerPort,
        dataDir != null ? dataDir : defaultStateDir(env).resolve("kafka"));
  }

  /** {@code $MOELORA_STATE_DIR}, else {@code $HOME/.local/state/moelora} (XDG state dir). */
  public static Path defaultStateDir(Map<String, String> env) {
    String state = env.get("MOELORA_STATE_DIR");
    if (state != null && !state.isBlank()) {
      return Path.of(state);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "state", "moelora");
  }

  /** The PID file, next to the data directory: {@code <data-dir>/../kafka.pid}. */
  public Path pidFile() {
    return dataDir.toAbsolutePath().getParent().resolve("kafka.pid");
  }

  BrokerConfig brokerConfig() {
    return new BrokerConfig(host, port, controllerPort, dataDir);
  }

  // Port 0 would make the broker's address unpredictable, which defeats a fixed default.
  private static int portValue(String name, String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a port in [1, 65535], got '" + value + "'");
  }
}
