package io.moelora.gateway.rest.problem;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One broken rule of a request: the field, as a JSON path ({@code adapter.rank},
 * {@code rows[1].rank}), a query parameter or {@code body}, and the rule in words.
 */
public record Violation(String field, String rule) {

  // Validation messages of the event records start with the field's JSON path (see FieldChecks
  // and JsonErrors), optionally followed by a colon; codec messages start with the record type.
  private static final Pattern TYPE_PREFIX = Pattern.compile("^[A-Z][A-Za-z]+: ");
  private static final Pattern FIELD_FIRST = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*(?:\\[\\d+]|\\.[A-Za-z_][A-Za-z0-9_]*)*):? (.+)$",
      Pattern.DOTALL);
  private static final List<String> BODY_PROBLEMS =
      List.of("malformed JSON", "empty payload", "expected a JSON object", "no value");

  /** The field and rule of a validation message such as {@code JobSpec: adapter.rank must be in [1, 1024], got 0}. */
  public static Violation fromMessage(String message) {
    String text = TYPE_PREFIX.matcher(message).replaceFirst("");
    if (BODY_PROBLEMS.stream().anyMatch(text::startsWith)) {
      return new Violation("body", text);
    }
    Matcher m = FIELD_FIRST.matcher(text);
    if (!m.matches()) {
      return new Violation("body", text);
    }
    String rule = m.group(2);
    // "adapter.experts and adapter.topK must be ...": the rule names several fields; keep it whole.
    return new Violation(m.group(1), rule.startsWith("and ") ? text : rule);
  }
}
