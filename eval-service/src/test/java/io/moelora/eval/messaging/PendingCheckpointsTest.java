package io.moelora.eval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventCodec;
import io.moelora.events.EventSchema;
import io.moelora.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** One slot per job holding its newest checkpoint; superseded ones come back to be recorded. */
class PendingCheckpointsTest {

  private final PendingCheckpoints pending = new PendingCheckpoints();
  private long nextOffset;

  @Test
  void keepsTheNewestOfAJobAndReturnsTheOthers() throws Exception {
    CheckpointDelivery s10 = delivery("a", "c10", 10, 0);
    CheckpointDelivery s30 = delivery("a", "c30", 30, 0);
    CheckpointDelivery s20 = delivery("a", "c20", 20, 0);

    List<PendingCheckpoints.Superseded> superseded = pending.offerAll(List.of(s10, s30, s20));

    assertThat(superseded).extracting(s -> s.older().checkpointId(), s -> s.newer().checkpointId())
        .containsExactly(tuple("c10", "c30"),
            tuple("c20", "c30"));
    assertThat(superseded).noneMatch(PendingCheckpoints.Superseded::duplicate);
    assertThat(pending.size()).isEqualTo(1);
    assertThat(pending.take(Duration.ZERO)).contains(s30);
    assertThat(pending.take(Duration.ofMillis(10))).isEmpty();
  }

  @Test
  void equalStepsAreOrderedByExamplesThenByOffset() throws Exception {
    CheckpointDelivery fewer = delivery("a", "x", 10, 100);
    CheckpointDelivery more = delivery("a", "y", 10, 200);
    CheckpointDelivery sameButLater = delivery("a", "z", 10, 200);

    pending.offerAll(List.of(more, fewer));
    assertThat(pending.offerAll(List.of(sameButLater))).extracting(s -> s.older().checkpointId())
        .containsExactly("y");
    assertThat(pending.take(Duration.ZERO)).contains(sameButLater);
  }

  @Test
  void aRepeatedCheckpointKeepsTheFirstDelivery() throws Exception {
    CheckpointDelivery first = delivery("a", "c", 10, 0);
    CheckpointDelivery again = delivery("a", "c", 10, 0);

    List<PendingCheckpoints.Superseded> superseded = pending.offerAll(List.of(first, again));

    assertThat(superseded).singleElement().satisfies(s -> {
      assertThat(s.duplicate()).isTrue();
      assertThat(s.older()).isSameAs(again);
    });
    assertThat(pending.take(Duration.ZERO)).containsSame(first);
  }

  @Test
  void jobsTakeTurnsAndAReplacedSlotKeepsItsPlace() throws Exception {
    pending.offerAll(List.of(delivery("a", "a1", 1, 0), delivery("b", "b1", 1, 0)));
    pending.offerAll(List.of(delivery("a", "a2", 2, 0), delivery("c", "c1", 1, 0)));

    assertThat(pending.take(Duration.ZERO).orElseThrow().checkpointId()).isEqualTo("a2");
    pending.offerAll(List.of(delivery("a", "a3", 3, 0)));
    assertThat(List.of(take(), take(), take())).containsExactly("b1", "c1", "a3");
  }

  @Test
  void dropsWhatWasReadFromRevokedPartitions() {
    CheckpointDelivery onZero = delivery("a", "a1", 1, 0, 0);
    CheckpointDelivery onOne = delivery("b", "b1", 1, 0, 1);
    pending.offerAll(List.of(onZero, onOne));

    assertThat(pending.drop(List.of(new TopicPartition(Topics.CHECKPOINTS, 1)))).containsExactly(onOne);
    assertThat(pending.size()).isEqualTo(1);
  }

  @Test
  void takeWaitsForAnOffer() throws Exception {
    Thread producer = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      pending.offerAll(List.of(delivery("a", "late", 1, 0)));
    });
    producer.start();
    assertThat(pending.take(Duration.ofSeconds(10))).hasValueSatisfying(d ->
        assertThat(d.checkpointId()).isEqualTo("late"));
    producer.join();
  }

  private String take() throws InterruptedException {
    return pending.take(Duration.ZERO).orElseThrow().checkpointId();
  }

  private CheckpointDelivery delivery(String job, String id, long step, long examples) {
    return delivery(job, id, step, examples, 0);
  }

  private CheckpointDelivery delivery(String job, String id, long step, long examples, int partition) {
    CheckpointPublished event = new CheckpointPublished(EventSchema.CURRENT, job, id, step, examples,
        "file:///store/" + job + "/" + id, "ab".repeat(32), AdapterType.MOELORA, 1, Map.of(), Instant.EPOCH);
    var record = new ConsumerRecord<>(Topics.CHECKPOINTS, partition, nextOffset++, job, EventCodec.toJson(event));
    return new CheckpointDelivery(record, event, 0);
  }
}
