package io.moelora.kafkalocal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * Where a single-node broker listens and keeps its data.
 *
 * @param host           address both listeners bind to and advertise, e.g. {@code 127.0.0.1}
 * @param port           client (PLAINTEXT) port, [0, 65535]; 0 picks a free port at start
 * @param controllerPort KRaft controller port, [0, 65535]; 0 picks a free port at start
 * @param dataDir        log and metadata directory; formatted on first use, kept afterwards
 */
public record BrokerConfig(String host, int port, int controllerPort, Path dataDir) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  public BrokerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be non-blank");
    }
    checkPort("port", port);
    checkPort("controllerPort", controllerPort);
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir is required");
    }
    if (port != 0 && port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
    }
  }

  /** A broker on 127.0.0.1 with both ports picked at start. */
  public static BrokerConfig ephemeral(Path dataDir) {
    return new BrokerConfig(DEFAULT_HOST, 0, 0, dataDir);
  }

  /** The client address, {@code host:port}. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  /**
   * This config with every 0 port replaced by a currently free one. The KRaft voter list names
   * the controller port, so it must be known before the broker starts; a restart that should
   * keep its address reuses the resolved config.
   */
  BrokerConfig withFreePorts() {
    int p = port != 0 ? port : freePort(host);
    int c = controllerPort;
    while (c == 0 || c == p) {
      c = freePort(host);
    }
    return new BrokerConfig(host, p, c, dataDir);
  }

  private static int freePort(String host) {
    try (var socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  private static void checkPort(String field, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(field + " must be in [0, 65535], got " + value);
    }
  }
}
