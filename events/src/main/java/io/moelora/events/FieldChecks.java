package io.moelora.events;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The checks every event record runs in its compact constructor. Each failure throws
 * {@link IllegalArgumentException} whose message starts with the field's JSON path and
 * states the allowed range, so the same text reaches a DLQ reason header unchanged.
 */
final class FieldChecks {

  /** Ids travel as Kafka keys, file names and URL segments: keep them to a safe alphabet. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private FieldChecks() {}

  /** The JSON entry points use this to let an absent or null field take its default. */
  static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static String id(String field, String value) {
    required(field, value);
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must match " + ID.pattern() + ", got '" + abbreviate(value) + "'");
    }
    // The alphabet admits them, but as a directory name (checkpoints are stored under <jobId>/) they
    // would mean this directory or the one above the store.
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(field + " must not be '.' or '..', got '" + value + "'");
    }
    return value;
  }

  /**
   * Text that must have arrived as valid UTF-8: U+FFFD is what a lenient decoder (Kafka's
   * StringDeserializer, a Reader) puts where bytes were not UTF-8, so training text holding it is
   * broken input, not data.
   */
  static String decodedText(String field, String value) {
    if (value != null && value.indexOf('\uFFFD') >= 0) {
      throw new IllegalArgumentException(field + " must be valid UTF-8: it contains U+FFFD at index "
          + value.indexOf('\uFFFD') + ", the mark of bytes that were not UTF-8");
    }
    return value;
  }

  static String text(String field, String value, int maxLength) {
    required(field, value);
    if (value.isBlank() || value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be non-blank with at most " + maxLength
          + " characters, got " + value.length() + " characters");
    }
    return value;
  }

  static int inRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  static long atLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  /** Closed interval [min, max]; NaN and infinities never pass (JSON cannot carry them). */
  static double finiteIn(String field, double value, double min, double max) {
    if (!Double.isFinite(value) || value < min || value > max) {
      throw new IllegalArgumentException(field + " must be a finite number in ["
          + min + ", " + max + "], got " + value);
    }
    return value;
  }

  static double finite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, got " + value);
    }
    return value;
  }

  static double finiteAtLeast(String field, double value, double min) {
    if (!Double.isFinite(value) || value < min) {
      throw new IllegalArgumentException(
          field + " must be a finite number >= " + min + ", got " + value);
    }
    return value;
  }

  /** Open lower bound: (0, max]. */
  static double finitePositiveUpTo(String field, double value, double max) {
    if (!Double.isFinite(value) || value <= 0 || value > max) {
      throw new IllegalArgumentException(
          field + " must be a finite number in (0, " + max + "], got " + value);
    }
    return value;
  }

  /** An immutable copy that keeps the caller's order; null stands for "none". */
  static <T> List<T> list(String field, List<T> values, int maxSize) {
    if (values == null) {
      return List.of();
    }
    if (values.size() > maxSize) {
      throw new IllegalArgumentException(
          field + " must have at most " + maxSize + " entries, got " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      required(field + "[" + i + "]", values.get(i));
    }
    return List.copyOf(values);
  }

  static void distinct(String field, List<?> values) {
    var seen = new HashSet<Object>();
    for (Object v : values) {
      if (!seen.add(v)) {
        throw new IllegalArgumentException(field + " must not repeat entries, got '" + v + "' twice");
      }
    }
  }

  /**
   * An immutable, order-keeping copy of {@code map} (null stands for "none"); {@code check}
   * sees each entry with its path, e.g. {@code metrics.loss}.
   */
  static <V> Map<String, V> map(String field, Map<String, V> map, int maxSize,
      BiConsumer<String, V> check) {
    if (map == null) {
      return Map.of();
    }
    if (map.size() > maxSize) {
      throw new IllegalArgumentException(
          field + " must have at most " + maxSize + " entries, got " + map.size());
    }
    var copy = new LinkedHashMap<String, V>();
    for (var e : map.entrySet()) {
      text(field + " key", e.getKey(), 256);
      String path = field + "." + e.getKey();
      check.accept(path, required(path, e.getValue()));
      copy.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  /** An immutable copy of a list of doubles, each finite and within [min, max]. */
  static List<Double> finiteList(String field, List<Double> values, int maxSize,
      double min, double max) {
    List<Double> copy = list(field, values, maxSize);
    for (int i = 0; i < copy.size(); i++) {
      finiteIn(field + "[" + i + "]", copy.get(i), min, max);
    }
    return copy;
  }

  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
