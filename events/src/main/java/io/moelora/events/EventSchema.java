package io.moelora.events;

/**
 * Schema versions of the event values. Every top-level event carries {@code schemaVersion};
 * a reader accepts the versions in [{@link #OLDEST_SUPPORTED}, {@link #CURRENT}] and rejects
 * the rest, so a record written by a newer producer with an incompatible shape lands on a
 * DLQ with a clear reason instead of being half-understood.
 */
public final class EventSchema {

  /** The version this code writes. */
  public static final int CURRENT = 1;

  /** The oldest version this code still reads. */
  public static final int OLDEST_SUPPORTED = 1;

  private EventSchema() {}

  /** True when this code can read events of {@code version}. */
  public static boolean isSupported(int version) {
    return version >= OLDEST_SUPPORTED && version <= CURRENT;
  }

  static void requireSupported(int version) {
    if (!isSupported(version)) {
      throw new IllegalArgumentException("schemaVersion " + version
          + " is not supported (supported: [" + OLDEST_SUPPORTED + ", " + CURRENT + "])");
    }
  }
}
