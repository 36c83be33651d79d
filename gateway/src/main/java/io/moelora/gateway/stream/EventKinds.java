package io.moelora.gateway.stream;

import java.util.List;

/** The SSE {@code event:} names, one per kind of record, plus the stream's own control events. */
public final class EventKinds {

  /** A job spec was created or changed (data: the JobSpec with defaults filled in). */
  public static final String JOB = "job";
  /** A job was deleted by a tombstone (data: {@code {"jobId": ...}}). */
  public static final String JOB_DELETED = "job-deleted";
  /** A lifecycle step of a job (data: JobEvent). */
  public static final String JOB_EVENT = "job-event";
  /** A checkpoint became durable (data: CheckpointPublished). */
  public static final String CHECKPOINT = "checkpoint";
  /** Training metrics of one step (data: TrainingMetrics). */
  public static final String METRICS = "metrics";
  /** A checkpoint's score on a suite (data: EvalResult). */
  public static final String EVAL_RESULT = "eval-result";
  /** What the evaluator is doing (data: EvalProgress). */
  public static final String EVAL_PROGRESS = "eval-progress";
  /** The full current state of one board (data: LeaderboardUpdate). */
  public static final String LEADERBOARD = "leaderboard";
  /**
   * The stream cannot resume from the client's {@code Last-Event-ID} (too old for the replay buffer,
   * or unreadable): reload state over REST; the stream continues from this event's id.
   */
  public static final String RESET = "reset";

  /** Every name a record can produce, for documentation and tests. */
  public static final List<String> RECORD_KINDS =
      List.of(JOB, JOB_DELETED, JOB_EVENT, CHECKPOINT, METRICS, EVAL_RESULT, EVAL_PROGRESS, LEADERBOARD);

  private EventKinds() {}
}
