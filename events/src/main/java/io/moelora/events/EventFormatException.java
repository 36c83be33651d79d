package io.moelora.events;

/**
 * A record value that is not a valid event: malformed JSON, a wrong type, a missing required
 * field, an unsupported {@code schemaVersion} or a failed validation. The message names the
 * event type and the field (as a JSON path), and is short enough for a DLQ reason header.
 */
public class EventFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EventFormatException(String message) {
    super(message);
  }

  public EventFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
