package io.moelora.events;

import java.util.ArrayList;
import java.util.List;

/**
 * Every topic name of the product, and how each is created. Keys are jobIds (strings) except
 * on {@link #LEADERBOARD}, keyed by board id; values are the JSON of one event record.
 *
 * <p>The job-keyed topics share one partition count on purpose: with the default partitioner a
 * job's spec, examples and checkpoints then sit in partitions of the same number, so a trainer
 * replica that owns partition p of both input topics owns the whole job.
 */
public final class Topics {

  /** {@link JobSpec} by jobId; compacted: the latest spec of each job. */
  public static final String JOBS = "moelora.jobs";
  /** {@link TrainingExample} by jobId. */
  public static final String TRAINING_EXAMPLES = "moelora.training-examples";
  /** {@link CheckpointPublished} by jobId. */
  public static final String CHECKPOINTS = "moelora.checkpoints";
  /** {@link TrainingMetrics} by jobId. */
  public static final String TRAINING_METRICS = "moelora.training-metrics";
  /** {@link JobEvent} by jobId: accepted, training, checkpointed, paused, failed, completed. */
  public static final String JOB_EVENTS = "moelora.job-events";
  /** {@link EvalProgress} by jobId: started, progress, finished, skipped, refused. */
  public static final String EVAL_PROGRESS = "moelora.eval-progress";
  /** {@link EvalResult} by jobId. */
  public static final String EVAL_RESULTS = "moelora.eval-results";
  /** {@link LeaderboardUpdate} by board id; compacted: the latest state of each board. */
  public static final String LEADERBOARD = "moelora.leaderboard";

  /** Partitions of every jobId-keyed topic: the most trainer replicas that can share work. */
  public static final int JOB_PARTITIONS = 6;

  /** The product's topics without their DLQs. */
  public static final List<TopicSpec> PRIMARY = List.of(
      new TopicSpec(JOBS, JOB_PARTITIONS, true),
      new TopicSpec(TRAINING_EXAMPLES, JOB_PARTITIONS, false),
      // History the gateway rebuilds its boards and job views from: never deleted by age.
      new TopicSpec(CHECKPOINTS, JOB_PARTITIONS, false, true),
      new TopicSpec(TRAINING_METRICS, JOB_PARTITIONS, false),
      new TopicSpec(EVAL_RESULTS, JOB_PARTITIONS, false, true),
      new TopicSpec(JOB_EVENTS, JOB_PARTITIONS, false, true),
      new TopicSpec(EVAL_PROGRESS, JOB_PARTITIONS, false),
      new TopicSpec(LEADERBOARD, 1, true));

  private Topics() {}

  /** The dead-letter topic of {@code topic}: rejected records with their reason headers. */
  public static String dlq(String topic) {
    return topic + ".dlq";
  }

  /**
   * Every topic to create: {@link #PRIMARY} and a DLQ for each. DLQs have one partition and
   * are never compacted, even for compacted sources: every rejected record is kept for
   * inspection, not only the latest per key.
   */
  public static List<TopicSpec> all() {
    var all = new ArrayList<TopicSpec>(PRIMARY);
    for (TopicSpec spec : PRIMARY) {
      all.add(new TopicSpec(dlq(spec.name()), 1, false));
    }
    return List.copyOf(all);
  }
}
