package io.moelora.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The live heap read through jcmd follows objects this JVM holds and lets go of. */
class LiveHeapTest {

  private byte[][] held;

  @Test
  void live_heap_counts_held_objects_and_drops_collected_ones() throws Exception {
    assumeTrue(LiveHeap.supported(), "needs the JDK's jcmd");
    long self = ProcessHandle.current().pid();
    held = new byte[1024][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new byte[64 << 10]; // 1024 x 64 KiB = 64 MiB (small enough not to take whole regions)
    }
    double holding = LiveHeap.mibAfterFullGc(self);
    held = null;
    double released = LiveHeap.mibAfterFullGc(self);

    assertThat(holding).as("live heap while 64 MiB are held").isGreaterThanOrEqualTo(64);
    assertThat(holding - released).as("MiB collected once released").isBetween(60.0, 70.0);
  }
}
