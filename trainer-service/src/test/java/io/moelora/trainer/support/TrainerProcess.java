package io.moelora.trainer.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged trainer-service running as its own JVM, as operators run it. */
public final class TrainerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private TrainerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the trainer jar named by the {@code moelora.trainer.jar} system property. */
  public static TrainerProcess start(String name, String bootstrap, Path stateDir) throws IOException {
    Path jar = Path.of(System.getProperty("moelora.trainer.jar", "target/quarkus-app/quarkus-run.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package trainer-service first");
    }
    Path log = Path.of("target", "process-logs", name + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1", "-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    pb.environment().put("MOELORA_CHECKPOINT_DIR", stateDir.resolve("checkpoints").toString());
    pb.environment().put("MOELORA_MODEL_DIR", stateDir.resolve("models").toString());
    pb.environment().put("QUARKUS_HTTP_PORT", "0");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    return new TrainerProcess(pb.start(), log);
  }

  /** SIGKILL: no shutdown hook, no final commit, no flush. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the graceful stop an orchestrator sends. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
