package io.moelora.gateway.view;

import io.moelora.events.EvalProgress;
import io.moelora.events.JobSpec;
import java.time.Instant;

/**
 * A job as the API shows it.
 *
 * @param jobId              the job
 * @param state              {@code submitted} (spec read, no lifecycle event yet), a lifecycle state
 *                           ({@code accepted}, {@code rejected}, {@code training}, {@code checkpointed},
 *                           {@code paused}, {@code failed}, {@code completed}), {@code deleted}, or
 *                           {@code unknown} (events but no spec)
 * @param reason             the latest lifecycle event's reason, or null
 * @param spec               the latest spec, or null when deleted or not read
 * @param step               the furthest optimizer step reported
 * @param examplesSeen       the most training examples reported
 * @param checkpoints        checkpoints published
 * @param latestCheckpointId the most recent checkpoint, or null
 * @param best               the job's best checkpoint on the {@code overall} board, or null
 * @param lastEvalProgress   what the evaluator last reported for the job, or null
 * @param updatedAt          time of the latest record about the job
 */
public record JobView(
    String jobId,
    String state,
    String reason,
    JobSpec spec,
    long step,
    long examplesSeen,
    int checkpoints,
    String latestCheckpointId,
    BestCheckpoint best,
    EvalProgress lastEvalProgress,
    Instant updatedAt) {

  /** A job's best checkpoint by its {@code overall} average. */
  public record BestCheckpoint(String checkpointId, long step, long examplesSeen, double average) {}
}
