package io.moelora.gateway.stream;

import io.moelora.gateway.feed.StreamPosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The recent feed as server-sent events: a bounded replay buffer that resumes clients from their
 * {@code Last-Event-ID}, and the live fan-out to subscribers. Appending and subscribing share one
 * lock, so a subscriber's replay and its live events meet without a gap or an overlap.
 *
 * <p>A client is resumed from a position (see {@link StreamPosition}): it receives every buffered
 * event whose record lies at or after that position, then live ones. When the buffer no longer
 * holds everything after the position, the client gets a {@link EventKinds#RESET reset} (or, for
 * full-state streams, a fresh snapshot) instead of a silent gap.
 */
public final class EventLog {

  /** What a client gets first when it has no usable {@code Last-Event-ID}. */
  public enum Start {
    /** Nothing: live events from now on. */
    LIVE,
    /** The latest full-state event of every snapshot key (e.g. every board), then live events. */
    SNAPSHOT
  }

  /** A live subscription; closing it stops delivery. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private record Subscriber(Predicate<LogEntry> filter, StreamPosition floor, Consumer<StreamEvent> out) {}

  private final int capacity;
  private final ArrayDeque<LogEntry> entries = new ArrayDeque<>();
  private final Map<String, LogEntry> latestByKey = new TreeMap<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private long[] next = new long[0];
  // Per slot: records below this offset may have been dropped from the buffer.
  private long[] dropped = new long[0];

  /** @param capacity events kept for resuming clients */
  public EventLog(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  /** Sizes the position once the feed knows its partitions. */
  public synchronized void init(int slots) {
    next = new long[slots];
    dropped = new long[slots];
  }

  /** A record that produces no event (e.g. a rejected one) still moves the position. */
  public synchronized void skip(int slot, long offset) {
    next[slot] = offset + 1;
  }

  /** Adds the event of the record at ({@code slot}, {@code offset}) and sends it to subscribers. */
  public synchronized LogEntry append(int slot, long offset, String kind, String jobId, String snapshotKey,
      String data) {
    next[slot] = offset + 1;
    LogEntry entry = new LogEntry(slot, offset, kind, jobId, snapshotKey, data, StreamPosition.of(next).encode());
    entries.addLast(entry);
    if (snapshotKey != null) {
      latestByKey.put(snapshotKey, entry);
    }
    while (entries.size() > capacity) {
      LogEntry gone = entries.removeFirst();
      dropped[gone.slot()] = Math.max(dropped[gone.slot()], gone.offset() + 1);
    }
    for (Subscriber s : List.copyOf(subscribers)) {
      if (s.filter().test(entry) && !s.floor().covers(slot, offset)) {
        deliver(s, entry.event());
      }
    }
    return entry;
  }

  /** The current position as an event id. */
  public synchronized String position() {
    return StreamPosition.of(next).encode();
  }

  /**
   * Subscribes {@code out} to the events {@code filter} accepts, resuming after {@code lastEventId}
   * when it is a position this log can still serve. {@code out} is called under the log's lock and
   * must not block.
   */
  public synchronized Subscription subscribe(Predicate<LogEntry> filter, String lastEventId, Start start,
      Consumer<StreamEvent> out) {
    boolean resuming = lastEventId != null && !lastEventId.isBlank();
    Optional<StreamPosition> from = resuming ? StreamPosition.decode(lastEventId, next.length) : Optional.empty();
    StreamPosition floor;
    if (from.isPresent() && !from.get().anyBelow(dropped)) {
      floor = from.get();
      for (LogEntry e : entries) {
        if (filter.test(e) && !floor.covers(e.slot(), e.offset())) {
          out.accept(e.event());
        }
      }
    } else {
      floor = StreamPosition.of(next);
      String now = floor.encode();
      if (start == Start.SNAPSHOT) {
        latestByKey.values().stream().filter(filter)
            .forEach(e -> out.accept(new StreamEvent(now, e.kind(), e.data())));
      } else if (resuming) {
        String why = from.isEmpty() ? "Last-Event-ID is not a position of this stream"
            : "events after Last-Event-ID are no longer buffered";
        out.accept(new StreamEvent(now, EventKinds.RESET, "{\"reason\":\"" + why
            + "; reload state over REST, the stream continues from this event\"}"));
      }
    }
    Subscriber subscriber = new Subscriber(filter, floor, out);
    subscribers.add(subscriber);
    return () -> {
      synchronized (EventLog.this) {
        subscribers.remove(subscriber);
      }
    };
  }

  /** Live subscribers, for the connection gauge and tests. */
  public synchronized int subscribers() {
    return subscribers.size();
  }

  private void deliver(Subscriber s, StreamEvent event) {
    try {
      s.out().accept(event);
    } catch (RuntimeException e) {
      // A subscriber that cannot take events (closed connection) is dropped, never the feed.
      subscribers.remove(s);
    }
  }
}
