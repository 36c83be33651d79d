package io.moelora.gateway.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamPositionTest {

  @Test
  void roundTripsThroughItsTextForm() {
    StreamPosition p = StreamPosition.of(new long[] {0, 1, 127, 128, 300_000_000_000L, 5});
    String id = p.encode();
    assertThat(id).matches("[A-Za-z0-9_-]+");
    assertThat(StreamPosition.decode(id, 6)).contains(p);
  }

  @Test
  void refusesGarbageAndOtherLayouts() {
    String id = StreamPosition.of(new long[] {1, 2, 3}).encode();
    assertThat(StreamPosition.decode(id, 4)).isEmpty();
    assertThat(StreamPosition.decode("not a position!", 3)).isEmpty();
    assertThat(StreamPosition.decode("", 3)).isEmpty();
    assertThat(StreamPosition.decode(id + "AA", 3)).isEmpty();
    assertThat(StreamPosition.decode(null, 3)).isEmpty();
  }

  @Test
  void coversTheRecordsBeforeIt() {
    StreamPosition p = StreamPosition.of(new long[] {3, 0});
    assertThat(p.covers(0, 2)).isTrue();
    assertThat(p.covers(0, 3)).isFalse();
    assertThat(p.covers(1, 0)).isFalse();
    assertThat(p.covers(7, 0)).isFalse();
  }
}
