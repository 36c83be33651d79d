package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What the evaluator is doing with a checkpoint, the value on {@link Topics#EVAL_PROGRESS} (key:
 * {@code jobId}): started, items done, finished, skipped because a newer checkpoint of the job
 * arrived first, or refused (e.g. its files do not match the published digest).
 *
 * @param schemaVersion {@link EventSchema#CURRENT} when written by this code
 * @param jobId         matches {@code [A-Za-z0-9._-]{1,128}}
 * @param checkpointId  matches {@code [A-Za-z0-9._-]{1,128}}
 * @param suite         the suite concerned, or null for the whole checkpoint
 * @param kind          what happened
 * @param done          items scored so far, >= 0
 * @param total         items to score, >= done
 * @param message       for people, non-blank, at most 2000 characters
 * @param timestamp     when it happened
 */
public record EvalProgress(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    String checkpointId,
    String suite,
    Kind kind,
    @JsonProperty(required = true) int done,
    @JsonProperty(required = true) int total,
    String message,
    Instant timestamp) implements JobKeyed {

  /** The kinds of progress events. */
  public enum Kind {
    @JsonProperty("started") STARTED,
    @JsonProperty("progress") PROGRESS,
    @JsonProperty("finished") FINISHED,
    @JsonProperty("skipped") SKIPPED,
    @JsonProperty("refused") REFUSED
  }

  public EvalProgress {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    FieldChecks.id("checkpointId", checkpointId);
    if (suite != null) {
      EvalSpec.checkSuiteName("suite", suite);
    }
    FieldChecks.required("kind", kind);
    FieldChecks.inRange("done", done, 0, Integer.MAX_VALUE);
    FieldChecks.inRange("total", total, done, Integer.MAX_VALUE);
    FieldChecks.text("message", message, 2000);
    FieldChecks.required("timestamp", timestamp);
  }

  /** An event of the current schema version stamped now; long messages are cut to fit. */
  public static EvalProgress of(String jobId, String checkpointId, String suite, Kind kind, int done, int total,
      String message) {
    String text = message.length() > 2000 ? message.substring(0, 1997) + "..." : message;
    return new EvalProgress(EventSchema.CURRENT, jobId, checkpointId, suite, kind, done, total, text, Instant.now());
  }
}
