package io.moelora.messaging;

import io.moelora.events.EventCodec;
import io.moelora.events.JobKeyed;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Publishes events keyed by their jobId, and rejected records to their topic's DLQ, with one
 * idempotent producer. Dead letters carry the original key and bytes plus the reason headers the
 * messaging connector uses ({@code dead-letter-reason}, {@code -topic}, {@code -partition},
 * {@code -offset}), so every DLQ in the product reads the same.
 */
public final class EventPublisher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EventPublisher.class);
  private static final long SEND_TIMEOUT_S = 60;
  /** Dead letters keep at most this much of a value (≤ 800 KB of UTF-8: under the 1 MB request limit). */
  static final int MAX_DEAD_LETTER_CHARS = 200_000;
  /** ... and of a key. */
  static final int MAX_DEAD_LETTER_KEY_CHARS = 1_000;

  private final KafkaProducer<String, String> producer;

  public EventPublisher(String bootstrap, String clientId) {
    this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, clientId));
  }

  /** Sends {@code event} keyed by its jobId; the future completes when the broker has it. */
  public <T extends Record & JobKeyed> Future<RecordMetadata> publish(String topic, T event) {
    return producer.send(new ProducerRecord<>(topic, event.jobId(), EventCodec.toJson(event)));
  }

  /** Sends {@code event} and waits until it is durable. */
  public <T extends Record & JobKeyed> RecordMetadata publishAndWait(String topic, T event) {
    return await(publish(topic, event), topic);
  }

  /**
   * Sends {@code record} to the DLQ of its topic with {@code reason} and waits until it is durable,
   * so the caller may commit past it.
   */
  public void deadLetter(ConsumerRecord<String, String> record, String reason) {
    String dlq = io.moelora.events.Topics.dlq(record.topic());
    RecordHeaders headers = new RecordHeaders();
    headers.add("dead-letter-reason", reason.getBytes(UTF_8));
    headers.add("dead-letter-topic", record.topic().getBytes(UTF_8));
    headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(UTF_8));
    headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(UTF_8));
    // A record may reach us far larger than a producer request may be (the broker checks the
    // compressed size): kept whole, its dead letter could not be written and the consumer would stop.
    String value = record.value();
    if (value != null && value.length() > MAX_DEAD_LETTER_CHARS) {
      headers.add("dead-letter-truncated-from-chars", Integer.toString(value.length()).getBytes(UTF_8));
      value = value.substring(0, MAX_DEAD_LETTER_CHARS);
    }
    String key = record.key();
    if (key != null && key.length() > MAX_DEAD_LETTER_KEY_CHARS) {
      headers.add("dead-letter-key-truncated-from-chars", Integer.toString(key.length()).getBytes(UTF_8));
      key = key.substring(0, MAX_DEAD_LETTER_KEY_CHARS);
    }
    await(producer.send(new ProducerRecord<>(dlq, null, key, value, headers)), dlq);
    LOG.warnf("Rejected %s-%d@%d (key %s) to %s: %s", record.topic(), record.partition(), record.offset(),
        record.key(), dlq, reason);
  }

  /** Waits until everything sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  private static RecordMetadata await(Future<RecordMetadata> future, String topic) {
    try {
      return future.get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot publish to " + topic + ": " + cause, cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
