package io.moelora.messaging;

import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The latest valid spec of every job, read from the whole compacted jobs topic by every replica
 * (no consumer group: each service needs all specs, not a share of them). Invalid specs are
 * skipped here; the services' job consumers reject them to the DLQ once.
 *
 * <p>An example can arrive before its job's spec has been read, so a caller that does not know a
 * job can {@link #awaitJob wait} until this directory has caught up with the topic's end as of that
 * moment: only then is the job truly unknown.
 */
public final class JobDirectory implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(JobDirectory.class);

  private final Map<String, JobSpec> jobs = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, JobSpec>> listeners = new CopyOnWriteArrayList<>();
  private final TopicFollower follower;

  public JobDirectory(String bootstrap, String clientId) {
    this.follower = new TopicFollower(bootstrap, Topics.JOBS, clientId, this::apply);
  }

  /** Starts reading the jobs topic from its beginning. */
  public JobDirectory start() {
    follower.start();
    return this;
  }

  /**
   * Called on the directory's thread with (jobId, spec) for each new or changed spec, and with
   * (jobId, null) when a job is deleted.
   */
  public void addListener(BiConsumer<String, JobSpec> listener) {
    listeners.add(listener);
  }

  /** The job's latest valid spec, as far as read so far. */
  public Optional<JobSpec> get(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  /** True once the directory has read the whole topic as it was when it started. */
  public boolean ready() {
    return follower.ready();
  }

  /**
   * The job's spec, reading up to the topic's current end first when it is not known yet.
   *
   * @return empty when the job has no valid spec on the topic (or the directory could not catch up in time)
   */
  public Optional<JobSpec> awaitJob(String jobId, Duration timeout) {
    JobSpec known = jobs.get(jobId);
    if (known != null) {
      return Optional.of(known);
    }
    follower.awaitCaughtUp(timeout);
    return Optional.ofNullable(jobs.get(jobId));
  }

  private void apply(ConsumerRecord<String, String> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      if (jobs.remove(record.key()) != null) {
        listeners.forEach(l -> l.accept(record.key(), null));
      }
      return;
    }
    try {
      JobSpec spec = EventCodec.fromJson(record.value(), JobSpec.class);
      spec.requireKey(record.key());
      JobSpec before = jobs.put(spec.jobId(), spec);
      if (!spec.equals(before)) {
        listeners.forEach(l -> l.accept(spec.jobId(), spec));
      }
    } catch (EventFormatException | IllegalArgumentException e) {
      LOG.debugf("Job directory skips invalid spec %s@%d: %s", record.key(), record.offset(), e.getMessage());
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
