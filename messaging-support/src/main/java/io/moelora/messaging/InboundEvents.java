package io.moelora.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobKeyed;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Turns inbound record values into validated events and counts every outcome in
 * {@code moelora_records_total{topic, outcome}}. A rejection is rethrown: the connector then
 * nacks the record, and its failure strategy puts it on the topic's DLQ with the message as
 * {@code dead-letter-reason}.
 */
@ApplicationScoped
public class InboundEvents {

  /** Micrometer name; Prometheus shows it as {@code moelora_records_total}. */
  public static final String RECORDS = "moelora.records";

  private static final Logger LOG = Logger.getLogger(InboundEvents.class);

  private final MeterRegistry registry;

  public InboundEvents(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The event in {@code record}, keyed by its jobId.
   *
   * @throws EventFormatException when the value is not a valid {@code type} or the key differs
   */
  public <T extends Record & JobKeyed> T parse(ConsumerRecord<String, String> record, Class<T> type) {
    try {
      T event = EventCodec.fromJson(record.value(), type);
      event.requireKey(record.key());
      count(record.topic(), "valid");
      return event;
    } catch (EventFormatException e) {
      count(record.topic(), "rejected");
      LOG.warnf("Rejected record %s-%d@%d (key %s): %s", record.topic(), record.partition(),
          record.offset(), record.key(), e.getMessage());
      throw e;
    }
  }

  /** Counts a record that is neither valid nor rejected, e.g. a tombstone. */
  public void count(String topic, String outcome) {
    registry.counter(RECORDS, "topic", topic, "outcome", outcome).increment();
  }
}
