package io.moelora.eval.messaging;

import io.moelora.events.CheckpointPublished;
import java.util.Comparator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A valid checkpoint record, handed from the consumer thread to the evaluator.
 *
 * @param record     the record as read (dead-lettered as it is when its job is unknown)
 * @param checkpoint the parsed event
 * @param epoch      the {@link CommitLedger} epoch of its partition when read; finishing it in a later
 *                   epoch (the partition was revoked meanwhile) must not move that partition's commit
 */
public record CheckpointDelivery(ConsumerRecord<String, String> record, CheckpointPublished checkpoint, int epoch) {

  /** Training progress first; between equal checkpoints the later record wins. */
  static final Comparator<CheckpointDelivery> AGE = Comparator
      .comparingLong((CheckpointDelivery d) -> d.checkpoint().step())
      .thenComparingLong(d -> d.checkpoint().examplesSeen())
      .thenComparingLong(CheckpointDelivery::offset);

  public TopicPartition partition() {
    return new TopicPartition(record.topic(), record.partition());
  }

  public long offset() {
    return record.offset();
  }

  public String jobId() {
    return checkpoint.jobId();
  }

  public String checkpointId() {
    return checkpoint.checkpointId();
  }

  /** For logs: job, checkpoint (abbreviated), step and record position. */
  public String describe() {
    String id = checkpointId();
    return "checkpoint " + (id.length() > 12 ? id.substring(0, 12) : id) + " of job " + jobId() + " (step "
        + checkpoint.step() + ", " + record.topic() + "-" + record.partition() + "@" + record.offset() + ")";
  }
}
