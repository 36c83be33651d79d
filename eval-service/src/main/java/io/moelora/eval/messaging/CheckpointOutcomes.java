package io.moelora.eval.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What became of each checkpoint record, as {@code moelora_eval_checkpoints_total{outcome}}, and the
 * backlog as {@code moelora_eval_pending_checkpoints} (a scaling signal besides consumer lag).
 */
public final class CheckpointOutcomes {

  /** Micrometer name; Prometheus shows it as {@code moelora_eval_checkpoints_total}. */
  public static final String CHECKPOINTS = "moelora.eval.checkpoints";
  public static final String PENDING = "moelora.eval.pending.checkpoints";

  /** Every suite was scored and published. */
  public static final String EVALUATED = "evaluated";
  /** A newer checkpoint of the job arrived before evaluation started. */
  public static final String SKIPPED = "skipped";
  /** Its files do not match its digest, or it cannot be evaluated at all. */
  public static final String REFUSED = "refused";
  /** Its record went to the DLQ (malformed, invalid, unknown job). */
  public static final String DEAD_LETTERED = "dead-lettered";
  /** Delivered again after its results were published: nothing to do. */
  public static final String ALREADY_EVALUATED = "already-evaluated";

  private final MeterRegistry registry;

  public CheckpointOutcomes(MeterRegistry registry, PendingCheckpoints pending) {
    this.registry = registry;
    Gauge.builder(PENDING, pending, PendingCheckpoints::size)
        .description("checkpoints waiting for evaluation (at most one per job)")
        .register(registry);
  }

  public void count(String outcome) {
    registry.counter(CHECKPOINTS, "outcome", outcome).increment();
  }
}
