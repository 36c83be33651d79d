package io.moelora.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalKafkaOptionsTest {

  @Test
  void defaultsFollowTheStateDirectory() throws Exception {
    var options = LocalKafkaOptions.parse(new String[0], Map.of("HOME", "/home/u"));

    assertThat(options).isEqualTo(new LocalKafkaOptions("127.0.0.1", 9092, 9093,
        Path.of("/home/u/.local/state/moelora/kafka")));
    assertThat(options.pidFile()).isEqualTo(Path.of("/home/u/.local/state/moelora/kafka.pid"));
  }

  @Test
  void moeloraStateDirWinsOverHome() throws Exception {
    var options = LocalKafkaOptions.parse(new String[0],
        Map.of("HOME", "/home/u", "MOELORA_STATE_DIR", "/srv/state"));

    assertThat(options.dataDir()).isEqualTo(Path.of("/srv/state/kafka"));
  }

  @Test
  void explicitOptionsOverrideDefaults() throws Exception {
    var options = LocalKafkaOptions.parse(new String[] {"--host", "0.0.0.0", "--port", "19092",
        "--controller-port", "19093", "--data-dir", "/tmp/k"}, Map.of());

    assertThat(options).isEqualTo(new LocalKafkaOptions("0.0.0.0", 19092, 19093, Path.of("/tmp/k")));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> LocalKafkaOptions.parse(new String[] {"--port", "x"}, Map.of()))
        .hasMessage("--port must be a port in [1, 65535], got 'x'");
    assertThatThrownBy(() -> LocalKafkaOptions.parse(new String[] {"--verbose", "1"}, Map.of()))
        .hasMessage("unknown option --verbose");
    assertThatThrownBy(() -> LocalKafkaOptions.parse(new String[] {"--port"}, Map.of()))
        .hasMessage("missing value for --port");
    assertThatThrownBy(() -> LocalKafkaOptions.parse(
        new String[] {"--port", "9000", "--controller-port", "9000"}, Map.of()))
        .hasMessage("--port and --controller-port must differ, both are 9000");
  }
}
