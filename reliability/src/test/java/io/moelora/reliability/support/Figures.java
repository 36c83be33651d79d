package io.moelora.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures the suite reports: each scenario records rows (scenario, measure, value, expectation)
 * as it runs; {@link ReliabilityReport} prints them as one table when the suite ends and writes
 * {@code RESULTS.md}. Rows go to a file, so every test class of the run adds to the same table.
 */
public final class Figures {

  /** One row: what was measured, its value, what it must be (or "report" when it is only reported). */
  public record Row(String scenario, String measure, String value, String expected) {}

  private Figures() {}

  public static Path dir() {
    return Path.of(System.getProperty("reliability.report.dir", "target/reliability"));
  }

  static Path file() {
    return dir().resolve("figures.tsv");
  }

  /** Adds a row to this run's table. */
  public static synchronized void record(String scenario, String measure, Object value, String expected) {
    String line = String.join("\t", clean(scenario), clean(measure), clean(String.valueOf(value)), clean(expected)) + "\n";
    try {
      Files.createDirectories(dir());
      Files.writeString(file(), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("[figure] %s | %s | %s | %s%n", scenario, measure, value, expected);
  }

  static List<Row> read() {
    var rows = new ArrayList<Row>();
    try {
      if (!Files.exists(file())) {
        return rows;
      }
      for (String line : Files.readAllLines(file())) {
        String[] f = line.split("\t", -1);
        if (f.length == 4) {
          rows.add(new Row(f[0], f[1], f[2], f[3]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** Starts a new table (the first test class of a run calls it through the report listener). */
  static void reset() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace("|", "/");
  }
}
