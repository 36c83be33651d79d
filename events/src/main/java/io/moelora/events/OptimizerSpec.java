package io.moelora.events;

import static io.moelora.events.FieldChecks.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * AdamW settings of a job (the {@code optimizer} object of a {@link JobSpec}). Absent fields
 * take the LLM-Adapters recipe's values, {@link #DEFAULTS}: lr 3e-4, 100 warm-up steps (then
 * linear decay), weight decay 0.
 *
 * @param lr          peak learning rate, finite, (0, 1]
 * @param warmupSteps optimizer steps of linear warm-up, [0, 1000000]
 * @param weightDecay decoupled weight decay, [0, 1]
 */
public record OptimizerSpec(double lr, int warmupSteps, double weightDecay) {

  public static final OptimizerSpec DEFAULTS = new OptimizerSpec(3e-4, 100, 0.0);

  public OptimizerSpec {
    FieldChecks.finitePositiveUpTo("optimizer.lr", lr, 1.0);
    FieldChecks.inRange("optimizer.warmupSteps", warmupSteps, 0, 1_000_000);
    FieldChecks.finiteIn("optimizer.weightDecay", weightDecay, 0, 1);
  }

  @JsonCreator
  private static OptimizerSpec fromJson(
      @JsonProperty("lr") Double lr,
      @JsonProperty("warmupSteps") Integer warmupSteps,
      @JsonProperty("weightDecay") Double weightDecay) {
    return new OptimizerSpec(or(lr, DEFAULTS.lr()), or(warmupSteps, DEFAULTS.warmupSteps()),
        or(weightDecay, DEFAULTS.weightDecay()));
  }
}
