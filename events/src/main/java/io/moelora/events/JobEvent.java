package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A job's lifecycle step, the value on {@link Topics#JOB_EVENTS} (key: {@code jobId}), so users
 * and the gateway can follow a job without reading service logs.
 *
 * @param schemaVersion {@link EventSchema#CURRENT} when written by this code
 * @param jobId         matches {@code [A-Za-z0-9._-]{1,128}}
 * @param state         what happened
 * @param reason        why, for people (e.g. the divergence or the refused field), non-blank,
 *                      at most 2000 characters
 * @param step          optimizer updates done at that point, >= 0
 * @param examplesSeen  examples trained at that point, >= 0
 * @param checkpointId  the checkpoint involved, or null
 * @param source        the service that published it (e.g. {@code trainer}), an id
 * @param timestamp     when it happened
 */
public record JobEvent(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    JobState state,
    String reason,
    @JsonProperty(required = true) long step,
    @JsonProperty(required = true) long examplesSeen,
    String checkpointId,
    String source,
    Instant timestamp) implements JobKeyed {

  public JobEvent {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    FieldChecks.required("state", state);
    FieldChecks.text("reason", reason, 2000);
    FieldChecks.atLeast("step", step, 0);
    FieldChecks.atLeast("examplesSeen", examplesSeen, 0);
    if (checkpointId != null) {
      FieldChecks.id("checkpointId", checkpointId);
    }
    FieldChecks.id("source", source);
    FieldChecks.required("timestamp", timestamp);
  }

  /** An event of the current schema version stamped now; long reasons are cut to fit. */
  public static JobEvent of(String jobId, JobState state, String reason, long step, long examplesSeen,
      String checkpointId, String source) {
    String text = reason.length() > 2000 ? reason.substring(0, 1997) + "..." : reason;
    return new JobEvent(EventSchema.CURRENT, jobId, state, text, step, examplesSeen, checkpointId, source,
        Instant.now());
  }
}
