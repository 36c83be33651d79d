package io.moelora.eval.messaging;

import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.Topics;
import io.moelora.messaging.TopicFollower;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The (checkpointId, suite) pairs of each job that already have a result on the eval-results topic, read from
 * the whole topic (no consumer group: results of every partition count) and followed from then on.
 * This is what makes results idempotent across crashes and rebalances: a checkpoint read again after
 * a restart, or by a new owner of its partition, gets only its missing suites evaluated.
 *
 * <p>{@link #ready()} turns true once the topic as it was at start has been read; before that nothing
 * may be evaluated. {@link #awaitCaughtUp} reads up to the topic's current end, so results another
 * replica published a moment ago count too.
 */
public final class PublishedResults implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PublishedResults.class);

  private final Map<String, Set<String>> suitesByCheckpoint = new ConcurrentHashMap<>();
  private final TopicFollower follower;

  public PublishedResults(String bootstrap, String clientId) {
    this.follower = new TopicFollower(bootstrap, Topics.EVAL_RESULTS, clientId, this::apply);
    follower.whenReady(() -> LOG.infof("Read %d evaluated checkpoints from %s", suitesByCheckpoint.size(),
        Topics.EVAL_RESULTS));
  }

  /** Starts reading the results topic from its beginning. */
  public PublishedResults start() {
    follower.start();
    return this;
  }

  /** True once the topic as it was at start has been read. */
  public boolean ready() {
    return follower.ready();
  }

  /** True while the reading thread runs. */
  public boolean alive() {
    return follower.alive();
  }

  /** True when a result for ({@code checkpointId}, {@code suite}) of the job is on the topic or was just published. */
  public boolean contains(String jobId, String checkpointId, String suite) {
    return suitesByCheckpoint.getOrDefault(key(jobId, checkpointId), Set.of()).contains(suite);
  }

  /** True when the checkpoint has a result for any suite: it was evaluated, maybe only in part. */
  public boolean containsAny(String jobId, String checkpointId) {
    return !suitesByCheckpoint.getOrDefault(key(jobId, checkpointId), Set.of()).isEmpty();
  }

  /** Records a result this replica has just published, before the topic brings it back. */
  public void add(String jobId, String checkpointId, String suite) {
    suitesByCheckpoint.computeIfAbsent(key(jobId, checkpointId), k -> ConcurrentHashMap.newKeySet()).add(suite);
  }

  // Checkpoint ids are content digests, so two jobs could hold the same one; each job gets its results.
  private static String key(String jobId, String checkpointId) {
    return jobId + '/' + checkpointId;
  }

  /**
   * Reads the topic up to its end as of now.
   *
   * @return false when that did not happen within {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) {
    return follower.awaitCaughtUp(timeout);
  }

  private void apply(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      return;
    }
    try {
      EvalResult result = EventCodec.fromJson(record.value(), EvalResult.class);
      add(result.jobId(), result.checkpointId(), result.suite());
    } catch (EventFormatException e) {
      LOG.debugf("Skipping invalid result %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
