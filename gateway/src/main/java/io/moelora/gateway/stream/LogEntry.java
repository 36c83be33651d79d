package io.moelora.gateway.stream;

/**
 * One record of the feed as the streams publish it.
 *
 * @param slot        the record's partition slot
 * @param offset      the record's offset
 * @param kind        the SSE event name (see {@link EventKinds})
 * @param jobId       the job it concerns, or null (leaderboards)
 * @param snapshotKey for full-state events (a leaderboard), the key whose latest value a new
 *                    subscriber receives first; null otherwise
 * @param data        JSON
 * @param id          the stream position right after the record
 */
public record LogEntry(int slot, long offset, String kind, String jobId, String snapshotKey, String data,
    String id) {

  StreamEvent event() {
    return new StreamEvent(id, kind, data);
  }
}
