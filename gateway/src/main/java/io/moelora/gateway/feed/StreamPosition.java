package io.moelora.gateway.feed;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * How far a reader has come through the feed: for every {@link FeedSlots slot}, the offset of the
 * next record it has not seen. It is the SSE event id: an event's id is the position right after
 * its record, so a client that resumes with {@code Last-Event-ID} has seen exactly the records
 * below that position in each partition, whatever order a replica interleaved partitions in. Any
 * replica can therefore resume any client without gaps or repeats.
 *
 * <p>Text form: URL-safe base64 (no padding) of a version byte, the slot count and one offset per
 * slot, all as unsigned varints. Immutable.
 */
public final class StreamPosition {

  private static final int VERSION = 1;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final long[] next;

  private StreamPosition(long[] next) {
    this.next = next;
  }

  /** The position before any record: covers nothing. */
  public static StreamPosition start(int slots) {
    return new StreamPosition(new long[slots]);
  }

  /** A copy of {@code next} (offset of the next unseen record, per slot). */
  public static StreamPosition of(long[] next) {
    return new StreamPosition(next.clone());
  }

  public int slots() {
    return next.length;
  }

  /** The offset of the next unseen record of {@code slot}. */
  public long next(int slot) {
    return slot < next.length ? next[slot] : 0;
  }

  /** True when the record at ({@code slot}, {@code offset}) lies before this position. */
  public boolean covers(int slot, long offset) {
    return slot < next.length && offset < next[slot];
  }

  /** True when some slot of this position lies below {@code floor}'s. */
  public boolean anyBelow(long[] floor) {
    for (int i = 0; i < Math.min(next.length, floor.length); i++) {
      if (next[i] < floor[i]) {
        return true;
      }
    }
    return false;
  }

  public String encode() {
    var out = new ByteArrayOutputStream(2 + next.length * 2);
    writeVarint(out, VERSION);
    writeVarint(out, next.length);
    for (long offset : next) {
      writeVarint(out, offset);
    }
    return ENCODER.encodeToString(out.toByteArray());
  }

  /**
   * The position written by {@link #encode}, if {@code text} is one for {@code slots} slots; empty
   * for anything else (garbage, another format version, another partition layout).
   */
  public static Optional<StreamPosition> decode(String text, int slots) {
    if (text == null || text.isBlank() || text.length() > 4096) {
      return Optional.empty();
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text.trim()));
      if (readVarint(in) != VERSION || readVarint(in) != slots) {
        return Optional.empty();
      }
      long[] next = new long[slots];
      for (int i = 0; i < slots; i++) {
        next[i] = readVarint(in);
      }
      return in.hasRemaining() ? Optional.empty() : Optional.of(new StreamPosition(next));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      return Optional.empty();
    }
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long readVarint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0) {
          throw new IllegalArgumentException("negative offset");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamPosition p && Arrays.equals(next, p.next);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(next);
  }

  @Override
  public String toString() {
    return Arrays.toString(next);
  }
}
