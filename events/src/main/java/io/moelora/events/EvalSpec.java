package io.moelora.events;

import static io.moelora.events.FieldChecks.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a job's checkpoints are evaluated (the {@code eval} object of a {@link JobSpec}).
 * Absent fields take {@link #DEFAULTS}: no suites named (which suites then run is the eval
 * service's configuration), every item of a suite, and the reference {@code beam4} decoding
 * of PROTOCOL.md.
 *
 * @param suites   suite names as in the data directory (e.g. {@code gsm8k}, {@code ARC-Easy}),
 *                 distinct, at most 64
 * @param limit    items per suite, [0, 1000000]; 0 = the whole suite
 * @param decoding {@code beam4} (reference) or {@code greedy} (fast variant)
 */
public record EvalSpec(List<String> suites, int limit, Decoding decoding) {

  /** Suite names are directory names in the LLM-Adapters layout. */
  public static final Pattern SUITE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public static final EvalSpec DEFAULTS = new EvalSpec(List.of(), 0, Decoding.BEAM4);

  public EvalSpec {
    suites = FieldChecks.list("eval.suites", suites, 64);
    for (int i = 0; i < suites.size(); i++) {
      checkSuiteName("eval.suites[" + i + "]", suites.get(i));
    }
    FieldChecks.distinct("eval.suites", suites);
    FieldChecks.inRange("eval.limit", limit, 0, 1_000_000);
    FieldChecks.required("eval.decoding", decoding);
  }

  static String checkSuiteName(String field, String suite) {
    FieldChecks.required(field, suite);
    if (!SUITE_NAME.matcher(suite).matches()) {
      throw new IllegalArgumentException(field + " must match " + SUITE_NAME.pattern()
          + ", got '" + FieldChecks.abbreviate(suite) + "'");
    }
    return suite;
  }

  @JsonCreator
  private static EvalSpec fromJson(
      @JsonProperty("suites") List<String> suites,
      @JsonProperty("limit") Integer limit,
      @JsonProperty("decoding") Decoding decoding) {
    return new EvalSpec(or(suites, DEFAULTS.suites()), or(limit, DEFAULTS.limit()),
        or(decoding, DEFAULTS.decoding()));
  }
}
