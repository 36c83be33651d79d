package io.moelora.kafkalocal.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service (a Quarkus {@code quarkus-run.jar}) running as its own JVM, as operators run
 * it, for tests that kill it, restart it or run several replicas. Its output goes to
 * {@code target/process-logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code jar} with one libtorch thread, a random HTTP port and the Kafka and state settings
   * every service reads; {@code env} adds or overrides environment variables.
   */
  public static ServiceProcess start(Path jar, String name, String bootstrap, Path stateDir, Map<String, String> env)
      throws IOException {
    return start(jar, name, bootstrap, stateDir, env, List.of());
  }

  /**
   * As {@link #start(Path, String, String, Path, Map)}, with {@code jvmOptions} after the defaults: a
   * later {@code -D} or {@code -Xmx} wins, so a benchmark can give the service other libtorch threads
   * or the heap the launcher gives it.
   */
  public static ServiceProcess start(Path jar, String name, String bootstrap, Path stateDir, Map<String, String> env,
      List<String> jvmOptions) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package the service first");
    }
    Path log = Path.of("target", "process-logs", name + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    pb.environment().put("MOELORA_CHECKPOINT_DIR", stateDir.resolve("checkpoints").toString());
    pb.environment().put("MOELORA_MODEL_DIR", stateDir.resolve("models").toString());
    pb.environment().put("QUARKUS_HTTP_PORT", "0");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().putAll(env);
    return new ServiceProcess(pb.start(), log);
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

  /** The JVM's process id (to read its memory or signal it). */
  public long pid() {
    return process.pid();
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
