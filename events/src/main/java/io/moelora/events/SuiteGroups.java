package io.moelora.events;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which evaluation suites are math and which are commonsense, by name only: the suites themselves
 * (data, extractors, versions) are declared in core's {@code suites.json}, and this list mirrors its
 * {@code family} fields for components that must not depend on core (the gateway's boards). The
 * built-in synthetic suites count with the family they imitate.
 */
public final class SuiteGroups {

  /** Board id of the mean over every suite a checkpoint has. */
  public static final String OVERALL = "overall";
  /** Group name (and board id) of the arithmetic word-problem suites. */
  public static final String MATH = "math";
  /** Group name (and board id) of the commonsense-reasoning suites. */
  public static final String COMMONSENSE = "commonsense";

  public static final List<String> MATH_SUITES = List.of(
      "AddSub", "AQuA", "gsm8k", "MultiArith", "SingleEq", "SVAMP", "mawps", "synthetic-addsub");

  public static final List<String> COMMONSENSE_SUITES = List.of(
      "boolq", "piqa", "social_i_qa", "hellaswag", "winogrande", "ARC-Easy", "ARC-Challenge",
      "openbookqa", "synthetic-choice", "synthetic-truefalse");

  // Suite names are matched case-insensitively, as the eval CLI accepts them.
  private static final Map<String, String> GROUP_BY_SUITE = Stream.concat(
          MATH_SUITES.stream().map(s -> Map.entry(key(s), MATH)),
          COMMONSENSE_SUITES.stream().map(s -> Map.entry(key(s), COMMONSENSE)))
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  private SuiteGroups() {}

  /** {@link #MATH} or {@link #COMMONSENSE} for a known suite; empty for any other suite. */
  public static Optional<String> groupOf(String suite) {
    return Optional.ofNullable(GROUP_BY_SUITE.get(key(suite)));
  }

  private static String key(String suite) {
    return suite.toLowerCase(Locale.ROOT);
  }
}
