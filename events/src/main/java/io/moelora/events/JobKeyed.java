package io.moelora.events;

/**
 * An event whose Kafka key is its {@code jobId}. The key decides the partition, so a record
 * whose key differs from its jobId would reach a consumer that does not own the job.
 */
public interface JobKeyed {

  String jobId();

  /**
   * Checks that a record carrying this event was keyed by its jobId.
   *
   * @throws EventFormatException naming both values otherwise
   */
  default void requireKey(String key) {
    if (!jobId().equals(key)) {
      throw new EventFormatException(getClass().getSimpleName() + ": record key "
          + (key == null ? "is missing, it" : "'" + FieldChecks.abbreviate(key) + "'")
          + " must equal jobId '" + jobId() + "'");
    }
  }
}
