package io.moelora.reliability.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live Java heap of another JVM: {@code jcmd <pid> GC.run} (a full collection), then the used size
 * that {@code GC.heap_info} reports. With a fixed, pre-touched heap the process's RSS no longer shows
 * Java objects that pile up, so a soak reads them here.
 */
public final class LiveHeap {

  // "garbage-first heap   total 262144K, used 27812K [0x..." (the first line of GC.heap_info)
  private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private LiveHeap() {}

  /** Whether this JDK ships {@code jcmd} (a JRE does not). */
  public static boolean supported() {
    return Files.isExecutable(jcmd());
  }

  /** MiB of the heap still in use after a full collection of {@code pid}. */
  public static double mibAfterFullGc(long pid) throws IOException, InterruptedException {
    run(pid, "GC.run");
    String info = run(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IOException("no heap size in the output of jcmd " + pid + " GC.heap_info:\n" + info);
    }
    return Long.parseLong(m.group(1)) / 1024.0; // KiB -> MiB
  }

  private static String run(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd().toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed:\n" + out);
    }
    return out;
  }

  private static Path jcmd() {
    return Path.of(System.getProperty("java.home"), "bin", "jcmd");
  }
}
