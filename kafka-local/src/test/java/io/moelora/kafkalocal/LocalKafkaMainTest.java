package io.moelora.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir
  Path dataDir;

  @Test
  void refusesToStartWhenThePortIsTaken() throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int code = run("--port", String.valueOf(taken.getLocalPort()), "--controller-port", "1",
          "--data-dir", dataDir.toString());

      assertThat(code).isEqualTo(LocalKafkaMain.EXIT_PORT_IN_USE);
      assertThat(text(err)).contains("already listens on 127.0.0.1:" + taken.getLocalPort());
      assertThat(dataDir).isEmptyDirectory();
    }
  }

  @Test
  void badArgumentsExitWithUsage() {
    assertThat(run("--port", "-1")).isEqualTo(LocalKafkaMain.EXIT_USAGE);
    assertThat(text(err)).contains("usage:");
  }

  @Test
  void helpPrintsUsage() {
    assertThat(run("--help")).isZero();
    assertThat(text(out)).contains("--controller-port");
  }

  private int run(String... args) {
    return LocalKafkaMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
