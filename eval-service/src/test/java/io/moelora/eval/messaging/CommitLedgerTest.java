package io.moelora.eval.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Commits never pass a record whose work is open, and a revoked partition's late work is ignored. */
class CommitLedgerTest {

  private static final TopicPartition P0 = new TopicPartition("moelora.checkpoints", 0);
  private static final TopicPartition P1 = new TopicPartition("moelora.checkpoints", 1);

  private final CommitLedger ledger = new CommitLedger();

  @Test
  void commitsUpToTheOldestOpenRecord() {
    int epoch = ledger.opened(P0, 5);
    ledger.opened(P0, 6);
    ledger.opened(P0, 7);
    ledger.opened(P1, 3);
    assertThat(ledger.committable()).isEqualTo(Map.of(P0, 5L, P1, 3L));

    ledger.finished(P0, 6, epoch);
    ledger.finished(P0, 7, epoch);
    assertThat(ledger.committable()).containsEntry(P0, 5L);
    assertThat(ledger.openCount()).isEqualTo(2);

    ledger.finished(P0, 5, epoch);
    assertThat(ledger.committable()).containsEntry(P0, 8L);
  }

  @Test
  void workFinishedAfterARevocationDoesNotMoveTheNewOwnersCommit() {
    int before = ledger.opened(P0, 5);
    ledger.forget(List.of(P0));
    assertThat(ledger.committable()).doesNotContainKey(P0);

    // Assigned again, the record is read again and open in the new epoch.
    int after = ledger.opened(P0, 5);
    ledger.finished(P0, 5, before);
    assertThat(ledger.committable()).containsEntry(P0, 5L);
    ledger.finished(P0, 5, after);
    assertThat(ledger.committable()).containsEntry(P0, 6L);
  }
}
