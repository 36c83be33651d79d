package io.moelora.messaging;

import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, JobSpec> jobs = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, JobSpec>> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<CatchUp> requests = new ConcurrentLinkedQueue<>();
  private final List<CatchUp> waiting = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean ready;

  private record CatchUp(CompletableFuture<Void> done, Map<TopicPartition, Long> target) {}

  public JobDirectory(String bootstrap, String clientId) {
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null, clientId));
    this.thread = new Thread(this::run, "job-directory");
    this.thread.setDaemon(true);
  }

  /** Starts reading the jobs topic from its beginning. */
  public JobDirectory start() {
    thread.start();
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
    return ready;
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
    CatchUp request = new CatchUp(new CompletableFuture<>(), new ConcurrentHashMap<>());
    requests.add(request);
    try {
      request.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warnf("Job directory did not catch up within %s while looking for job %s", timeout, jobId);
    }
    return Optional.ofNullable(jobs.get(jobId));
  }

  private void run() {
    try {
      List<TopicPartition> partitions = partitions();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      CatchUp initial = new CatchUp(new CompletableFuture<>(), consumer.endOffsets(partitions));
      waiting.add(initial);
      initial.done().thenRun(() -> ready = true);
      while (running) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          apply(record);
        }
        for (CatchUp r; (r = requests.poll()) != null; ) {
          r.target().putAll(consumer.endOffsets(partitions));
          waiting.add(r);
        }
        waiting.removeIf(r -> {
          boolean caughtUp = r.target().entrySet().stream()
              .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
          if (caughtUp) {
            r.done().complete(null);
          }
          return caughtUp;
        });
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Job directory stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  // The jobs topic is created by the stack; a service started first waits for it.
  private List<TopicPartition> partitions() {
    while (running) {
      List<PartitionInfo> infos = consumer.partitionsFor(Topics.JOBS, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      }
      LOG.infof("Waiting for topic %s", Topics.JOBS);
      sleep();
    }
    throw new WakeupException();
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

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
