package io.moelora.events;

import static io.moelora.events.FieldChecks.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How examples are grouped into optimizer steps (the {@code batching} object of a
 * {@link JobSpec}). One optimizer step sees {@code microBatch · accumulation} examples.
 * Absent fields take the LLM-Adapters recipe's values, {@link #DEFAULTS}: micro-batch 4,
 * accumulation 4 (batch 16), cutoff 256 tokens.
 *
 * @param microBatch   examples per forward/backward pass, [1, 1024]
 * @param accumulation micro-batches per optimizer step, [1, 4096]
 * @param cutoff       maximum tokens per example (prompt + response), [8, 8192]
 */
public record BatchingSpec(int microBatch, int accumulation, int cutoff) {

  public static final BatchingSpec DEFAULTS = new BatchingSpec(4, 4, 256);

  public BatchingSpec {
    FieldChecks.inRange("batching.microBatch", microBatch, 1, 1024);
    FieldChecks.inRange("batching.accumulation", accumulation, 1, 4096);
    FieldChecks.inRange("batching.cutoff", cutoff, 8, 8192);
  }

  /** Examples per optimizer step. */
  public int examplesPerStep() {
    return microBatch * accumulation;
  }

  @JsonCreator
  private static BatchingSpec fromJson(
      @JsonProperty("microBatch") Integer microBatch,
      @JsonProperty("accumulation") Integer accumulation,
      @JsonProperty("cutoff") Integer cutoff) {
    return new BatchingSpec(or(microBatch, DEFAULTS.microBatch()),
        or(accumulation, DEFAULTS.accumulation()), or(cutoff, DEFAULTS.cutoff()));
  }
}
