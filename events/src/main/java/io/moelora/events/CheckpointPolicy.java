package io.moelora.events;

import static io.moelora.events.FieldChecks.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When the trainer writes a checkpoint (the {@code checkpoint} object of a {@link JobSpec}):
 * after every {@code everyExamples} examples or {@code everySeconds} seconds, whichever comes
 * first; 0 switches a trigger off, and at least one must stay on, because offsets only advance
 * with a checkpoint. Absent fields take {@link #DEFAULTS}: every 1000 examples or 600 s.
 *
 * @param everyExamples examples between checkpoints, [0, 1000000000], 0 = off
 * @param everySeconds  seconds between checkpoints, [0, 604800], 0 = off
 */
public record CheckpointPolicy(int everyExamples, int everySeconds) {

  public static final CheckpointPolicy DEFAULTS = new CheckpointPolicy(1000, 600);

  public CheckpointPolicy {
    FieldChecks.inRange("checkpoint.everyExamples", everyExamples, 0, 1_000_000_000);
    FieldChecks.inRange("checkpoint.everySeconds", everySeconds, 0, 604_800);
    if (everyExamples == 0 && everySeconds == 0) {
      throw new IllegalArgumentException(
          "checkpoint.everyExamples and checkpoint.everySeconds must not both be 0");
    }
  }

  @JsonCreator
  private static CheckpointPolicy fromJson(
      @JsonProperty("everyExamples") Integer everyExamples,
      @JsonProperty("everySeconds") Integer everySeconds) {
    return new CheckpointPolicy(or(everyExamples, DEFAULTS.everyExamples()),
        or(everySeconds, DEFAULTS.everySeconds()));
  }
}
