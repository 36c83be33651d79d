package io.moelora.trainer.stream;

import io.moelora.events.JobSpec;
import io.moelora.events.TrainingExample;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A valid example of a known job, handed from the consumer thread to the training thread.
 *
 * @param record the record as read (dead-lettered as it is if the job cannot take it)
 * @param example the parsed example
 * @param spec the job's spec as known when the example was read
 */
public record Delivery(ConsumerRecord<String, String> record, TrainingExample example, JobSpec spec) {

  public TopicPartition partition() {
    return new TopicPartition(record.topic(), record.partition());
  }

  public long offset() {
    return record.offset();
  }
}
