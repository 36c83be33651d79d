package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The score of one checkpoint on one suite, the value on {@link Topics#EVAL_RESULTS} (key:
 * {@code jobId}). Results are idempotent by ({@code checkpointId}, {@code suite}); each names
 * the suite version, extractor, decoding and protocol version that produced it, so scores
 * made differently are never compared as equals.
 *
 * @param schemaVersion   {@link EventSchema#CURRENT} when written by this code
 * @param jobId           matches {@code [A-Za-z0-9._-]{1,128}}
 * @param checkpointId    matches {@code [A-Za-z0-9._-]{1,128}}
 * @param suite           suite name, e.g. {@code gsm8k}, matches {@link EvalSpec#SUITE_NAME}
 * @param suiteVersion    version of the suite's data declaration, non-blank
 * @param n               items scored, >= 1
 * @param correct         items answered correctly, [0, n]
 * @param accuracy        correct / n · 100, within 1e-9
 * @param extractor       name of the answer extractor, non-blank
 * @param decoding        the decoding used
 * @param protocolVersion version of the evaluation protocol, non-blank
 * @param durationMs      wall time of the evaluation, >= 0
 */
public record EvalResult(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    String checkpointId,
    String suite,
    String suiteVersion,
    @JsonProperty(required = true) int n,
    @JsonProperty(required = true) int correct,
    @JsonProperty(required = true) double accuracy,
    String extractor,
    Decoding decoding,
    String protocolVersion,
    @JsonProperty(required = true) long durationMs) implements JobKeyed {

  public EvalResult {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    FieldChecks.id("checkpointId", checkpointId);
    EvalSpec.checkSuiteName("suite", suite);
    FieldChecks.text("suiteVersion", suiteVersion, 64);
    FieldChecks.inRange("n", n, 1, Integer.MAX_VALUE);
    FieldChecks.inRange("correct", correct, 0, n);
    double expected = accuracyOf(correct, n);
    if (!Double.isFinite(accuracy) || Math.abs(accuracy - expected) > 1e-9) {
      throw new IllegalArgumentException("accuracy must equal correct / n * 100 = " + expected
          + " (within 1e-9), got " + accuracy);
    }
    FieldChecks.text("extractor", extractor, 64);
    FieldChecks.required("decoding", decoding);
    FieldChecks.text("protocolVersion", protocolVersion, 64);
    FieldChecks.atLeast("durationMs", durationMs, 0);
  }

  /** Accuracy in percent, as PROTOCOL.md defines it. */
  public static double accuracyOf(int correct, int n) {
    return correct * 100.0 / n;
  }
}
