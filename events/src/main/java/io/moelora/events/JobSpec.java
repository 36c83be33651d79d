package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * A training job, the value on {@link Topics#JOBS} (key: {@code jobId}; the topic is compacted,
 * so the latest spec of a job wins). Only {@code schemaVersion}, {@code jobId} and
 * {@code baseModel} are required; an absent nested object takes its defaults:
 * {@link AdapterSpec#MOELORA_DEFAULTS}, {@link OptimizerSpec#DEFAULTS},
 * {@link BatchingSpec#DEFAULTS}, {@link CheckpointPolicy#DEFAULTS}, {@link EvalSpec#DEFAULTS}
 * (and an absent field inside one takes that object's default).
 *
 * @param schemaVersion {@link EventSchema#CURRENT} when written by this code
 * @param jobId         matches {@code [A-Za-z0-9._-]{1,128}}
 * @param baseModel     {@code builtin:<name>} (e.g. {@code builtin:tiny}) or a path relative to
 *                      the services' configured model directory, which it may not leave
 * @param adapter       the adapter to train
 * @param optimizer     AdamW settings
 * @param batching      micro-batch, accumulation and token cutoff
 * @param checkpoint    when to write checkpoints
 * @param eval          how checkpoints are evaluated
 * @param maxExamples   examples after which the job completes with a final checkpoint; absent or
 *                      0 = a continuous job that trains as long as examples arrive
 * @param paused        true: the trainer checkpoints what it has and holds the job's examples
 *                      (unconsumed, none lost) until a spec with {@code paused} false arrives;
 *                      absent = false
 * @param experiment    the experiment the job belongs to, an id like {@code jobId}: jobs of one
 *                      experiment are fed the same examples in the same order (the fan-out of the
 *                      CLI's {@code push --experiment} and the gateway's
 *                      {@code POST /api/experiments/{id}/examples}), so their checkpoints compare
 *                      step for step; absent (null) = none
 * @param seed          seeds the adapter and router initialisation, dropout and the contrastive
 *                      subsets, >= 0, so replicates of an experiment differ by a seed the
 *                      experiment chose; absent (null) = derived from {@code jobId}
 */
public record JobSpec(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    String baseModel,
    AdapterSpec adapter,
    OptimizerSpec optimizer,
    BatchingSpec batching,
    CheckpointPolicy checkpoint,
    EvalSpec eval,
    Long maxExamples,
    Boolean paused,
    // Left out of the JSON when absent, so specs without an experiment read as they always did.
    @JsonInclude(JsonInclude.Include.NON_NULL) String experiment,
    // Left out of the JSON when absent, so specs without a seed read (and train) as they always did.
    @JsonInclude(JsonInclude.Include.NON_NULL) Long seed) implements JobKeyed {

  /** The prefix of models the project builds itself instead of loading from disk. */
  public static final String BUILTIN_PREFIX = "builtin:";

  private static final Pattern BUILTIN = Pattern.compile("builtin:[A-Za-z0-9._-]{1,64}");

  public JobSpec {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    checkBaseModel(baseModel);
    adapter = adapter != null ? adapter : AdapterSpec.MOELORA_DEFAULTS;
    optimizer = optimizer != null ? optimizer : OptimizerSpec.DEFAULTS;
    batching = batching != null ? batching : BatchingSpec.DEFAULTS;
    checkpoint = checkpoint != null ? checkpoint : CheckpointPolicy.DEFAULTS;
    eval = eval != null ? eval : EvalSpec.DEFAULTS;
    maxExamples = maxExamples != null ? maxExamples : 0L;
    FieldChecks.atLeast("maxExamples", maxExamples, 0);
    paused = paused != null && paused;
    if (experiment != null) {
      FieldChecks.id("experiment", experiment);
    }
    if (seed != null) {
      FieldChecks.atLeast("seed", seed, 0);
    }
  }

  /** A spec whose seed derives from its jobId. */
  public JobSpec(int schemaVersion, String jobId, String baseModel, AdapterSpec adapter, OptimizerSpec optimizer,
      BatchingSpec batching, CheckpointPolicy checkpoint, EvalSpec eval, Long maxExamples, Boolean paused,
      String experiment) {
    this(schemaVersion, jobId, baseModel, adapter, optimizer, batching, checkpoint, eval, maxExamples, paused,
        experiment, null);
  }

  /** A spec outside any experiment. */
  public JobSpec(int schemaVersion, String jobId, String baseModel, AdapterSpec adapter, OptimizerSpec optimizer,
      BatchingSpec batching, CheckpointPolicy checkpoint, EvalSpec eval, Long maxExamples, Boolean paused) {
    this(schemaVersion, jobId, baseModel, adapter, optimizer, batching, checkpoint, eval, maxExamples, paused, null,
        null);
  }

  /** A running (not paused) spec. */
  public JobSpec(int schemaVersion, String jobId, String baseModel, AdapterSpec adapter, OptimizerSpec optimizer,
      BatchingSpec batching, CheckpointPolicy checkpoint, EvalSpec eval, Long maxExamples) {
    this(schemaVersion, jobId, baseModel, adapter, optimizer, batching, checkpoint, eval, maxExamples, false, null,
        null);
  }

  /** A spec of the current schema version with every nested object at its defaults. */
  public static JobSpec withDefaults(String jobId, String baseModel) {
    return new JobSpec(EventSchema.CURRENT, jobId, baseModel, null, null, null, null, null, null);
  }

  /** True for a continuous job (no example budget). */
  public boolean continuous() {
    return maxExamples == 0;
  }

  /** This spec with another example budget. */
  public JobSpec withMaxExamples(long max) {
    return new JobSpec(schemaVersion, jobId, baseModel, adapter, optimizer, batching, checkpoint, eval, max, paused,
        experiment, seed);
  }

  /** This spec paused or running. */
  public JobSpec withPaused(boolean pause) {
    return new JobSpec(schemaVersion, jobId, baseModel, adapter, optimizer, batching, checkpoint, eval, maxExamples,
        pause, experiment, seed);
  }

  /** This spec with another checkpoint policy. */
  public JobSpec withCheckpoint(CheckpointPolicy policy) {
    return new JobSpec(schemaVersion, jobId, baseModel, adapter, optimizer, batching, policy, eval, maxExamples,
        paused, experiment, seed);
  }

  /** This spec in experiment {@code id} (null: in none). */
  public JobSpec withExperiment(String id) {
    return new JobSpec(schemaVersion, jobId, baseModel, adapter, optimizer, batching, checkpoint, eval, maxExamples,
        paused, id, seed);
  }

  /** True when {@link #baseModel()} names a built-in model rather than a directory. */
  public boolean usesBuiltinModel() {
    return baseModel.startsWith(BUILTIN_PREFIX);
  }

  // The reference is resolved against a model directory by services that read files, so it is
  // checked here, once, against escaping that directory: no absolute paths, no drive letters or
  // URL schemes, no ".." segments, no control characters.
  private static void checkBaseModel(String baseModel) {
    FieldChecks.text("baseModel", baseModel, 512);
    if (baseModel.startsWith(BUILTIN_PREFIX)) {
      if (!BUILTIN.matcher(baseModel).matches()) {
        throw new IllegalArgumentException("baseModel must match " + BUILTIN.pattern()
            + " for a built-in model, got '" + FieldChecks.abbreviate(baseModel) + "'");
      }
      return;
    }
    if (baseModel.startsWith("/") || baseModel.startsWith("\\") || baseModel.contains(":")) {
      throw new IllegalArgumentException("baseModel must be builtin:<name> or a relative path inside"
          + " the model directory (no leading '/', no ':'), got '"
          + FieldChecks.abbreviate(baseModel) + "'");
    }
    for (String segment : baseModel.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("baseModel must not contain '..' path segments, got '"
            + FieldChecks.abbreviate(baseModel) + "'");
      }
    }
    if (baseModel.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("baseModel must not contain control characters");
    }
  }
}
