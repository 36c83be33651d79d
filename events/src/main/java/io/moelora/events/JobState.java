package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a job stands, as {@link JobEvent}s report it. */
public enum JobState {
  /** The spec was valid and the trainer will train it when examples arrive. */
  @JsonProperty("accepted")
  ACCEPTED,
  /** The spec was refused (see the reason); its examples go to the DLQ. */
  @JsonProperty("rejected")
  REJECTED,
  /** A trainer loaded the job (fresh or from its latest checkpoint) and trains it. */
  @JsonProperty("training")
  TRAINING,
  /** A checkpoint became durable and was published. */
  @JsonProperty("checkpointed")
  CHECKPOINTED,
  /** Training stopped without losing data (e.g. divergence); a new spec resumes it. */
  @JsonProperty("paused")
  PAUSED,
  /** The job cannot train (e.g. its checkpoint does not match the spec). */
  @JsonProperty("failed")
  FAILED,
  /** The job reached its example budget; the final checkpoint was published. */
  @JsonProperty("completed")
  COMPLETED;

  /** The JSON name, e.g. {@code "paused"}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
