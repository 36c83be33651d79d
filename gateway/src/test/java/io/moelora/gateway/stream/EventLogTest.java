package io.moelora.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private final EventLog log = new EventLog(100);
  private final List<StreamEvent> seen = new ArrayList<>();

  EventLogTest() {
    log.init(2);
  }

  private LogEntry add(int slot, long offset, String job) {
    return log.append(slot, offset, EventKinds.CHECKPOINT, job, null, "{\"o\":" + offset + "}");
  }

  @Test
  void aResumedSubscriberGetsExactlyTheEventsAfterItsIdWhateverTheInterleaving() {
    add(0, 0, "a");
    LogEntry seenLast = add(1, 0, "b");
    add(0, 1, "a");
    add(1, 1, "b");
    log.subscribe(e -> true, seenLast.id(), EventLog.Start.LIVE, seen::add);
    add(0, 2, "a");
    assertThat(seen).extracting(StreamEvent::data).containsExactly("{\"o\":1}", "{\"o\":1}", "{\"o\":2}");
  }

  @Test
  void aPositionFromAReplicaThatIsAheadSuppressesWhatTheClientAlreadyHas() {
    add(0, 0, "a");
    // Another replica had read slot 0 up to offset 5 when it sent the client this id.
    String ahead = io.moelora.gateway.feed.StreamPosition.of(new long[] {5, 0}).encode();
    log.subscribe(e -> true, ahead, EventLog.Start.LIVE, seen::add);
    add(0, 3, "a");
    add(0, 5, "a");
    assertThat(seen).extracting(StreamEvent::data).containsExactly("{\"o\":5}");
  }

  @Test
  void filtersApplyToReplayAndLiveEvents() {
    String start = log.position();
    add(0, 0, "a");
    add(0, 1, "b");
    log.subscribe(e -> "b".equals(e.jobId()), start, EventLog.Start.LIVE, seen::add);
    add(0, 2, "a");
    add(0, 3, "b");
    assertThat(seen).extracting(StreamEvent::data).containsExactly("{\"o\":1}", "{\"o\":3}");
  }

  @Test
  void aPositionOlderThanTheBufferGetsAResetInsteadOfAGap() {
    var small = new EventLog(2);
    small.init(1);
    String start = small.position();
    for (int i = 0; i < 5; i++) {
      small.append(0, i, EventKinds.METRICS, "a", null, "{}");
    }
    small.subscribe(e -> true, start, EventLog.Start.LIVE, seen::add);
    assertThat(seen).extracting(StreamEvent::name).containsExactly(EventKinds.RESET);
    assertThat(seen.get(0).id()).isEqualTo(small.position());
  }

  @Test
  void anUnreadableIdGetsAReset() {
    add(0, 0, "a");
    log.subscribe(e -> true, "garbage", EventLog.Start.LIVE, seen::add);
    assertThat(seen).extracting(StreamEvent::name).containsExactly(EventKinds.RESET);
  }

  @Test
  void snapshotStreamsStartWithTheLatestStateOfEveryKey() {
    log.append(0, 0, EventKinds.LEADERBOARD, null, "math", "{\"v\":1}");
    log.append(0, 1, EventKinds.LEADERBOARD, null, "overall", "{\"v\":2}");
    log.append(0, 2, EventKinds.LEADERBOARD, null, "math", "{\"v\":3}");
    log.subscribe(e -> true, null, EventLog.Start.SNAPSHOT, seen::add);
    assertThat(seen).extracting(StreamEvent::data).containsExactly("{\"v\":3}", "{\"v\":2}");
    assertThat(seen).extracting(StreamEvent::id).containsOnly(log.position());
  }

  @Test
  void aClosedSubscriptionGetsNothingMore() {
    var subscription = log.subscribe(e -> true, null, EventLog.Start.LIVE, seen::add);
    add(0, 0, "a");
    subscription.close();
    add(0, 1, "a");
    assertThat(seen).hasSize(1);
    assertThat(log.subscribers()).isZero();
  }
}
