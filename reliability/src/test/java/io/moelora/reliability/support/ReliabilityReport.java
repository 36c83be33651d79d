package io.moelora.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Opens a fresh figures table when the test run starts and, when it ends, prints the table and writes
 * it with the machine line to {@code RESULTS.md} in the report directory ({@code reliability/run.sh}
 * copies it to {@code reliability/RESULTS.md}).
 */
public final class ReliabilityReport implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Figures.reset();
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    List<Figures.Row> rows = Figures.read();
    if (rows.isEmpty()) {
      return;
    }
    String table = table(rows);
    System.out.println("\nReliability figures\n" + table);
    String markdown = "# Reliability suite: latest run\n\n"
        + "Machine: " + machine() + "  \n"
        + "Run: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + ", soak "
        + System.getProperty("reliability.soak.minutes", "?") + " min\n\n" + table
        + "\n\"report\" rows are measured and shown, not held to a bound. Reproduce: `reliability/run.sh`"
        + " (the build's run) or `reliability/run.sh soak` (20-minute memory soak).\n";
    try {
      Files.createDirectories(Figures.dir());
      Files.writeString(Figures.dir().resolve("RESULTS.md"), markdown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String table(List<Figures.Row> rows) {
    var out = new StringBuilder("| scenario | measure | value | expected |\n|---|---|---|---|\n");
    for (Figures.Row r : rows) {
      out.append("| ").append(r.scenario()).append(" | ").append(r.measure()).append(" | ").append(r.value())
          .append(" | ").append(r.expected()).append(" |\n");
    }
    return out.toString();
  }

  /** Cores, memory, CPU model, OS and Java: the line every figure is read against. */
  static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).strip();
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: the rest of the line still says enough
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format("%d cores (%s), %.0f GiB memory, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
        cpu, os.getTotalMemorySize() / (1024.0 * 1024 * 1024), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("java.version"));
  }
}
