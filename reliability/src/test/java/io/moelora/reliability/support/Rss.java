package io.moelora.reliability.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resident set size of a process, from {@code /proc/<pid>/status} (Linux). */
public final class Rss {

  private Rss() {}

  public static boolean supported() {
    return Files.isReadable(Path.of("/proc/self/status"));
  }

  /** VmRSS of {@code pid} in MiB. */
  public static double mib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0; // kB -> MiB
      }
    }
    throw new IOException("no VmRSS for pid " + pid);
  }

  /** The median of {@code values}. */
  public static double median(List<Double> values) {
    var sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
