package io.moelora.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void everyPrimaryTopicHasANonCompactedDlq() {
    assertThat(Topics.all()).hasSize(2 * Topics.PRIMARY.size())
        .contains(new TopicSpec("moelora.jobs.dlq", 1, false),
            new TopicSpec("moelora.leaderboard.dlq", 1, false));
  }

  @Test
  void jobsAndLeaderboardAreCompactedAndJobTopicsArePartitionedAlike() {
    assertThat(Topics.PRIMARY).filteredOn(TopicSpec::compacted).extracting(TopicSpec::name)
        .containsExactlyInAnyOrder(Topics.JOBS, Topics.LEADERBOARD);
    assertThat(Topics.PRIMARY).filteredOn(t -> !t.name().equals(Topics.LEADERBOARD))
        .extracting(TopicSpec::partitions).containsOnly(Topics.JOB_PARTITIONS);
    assertThat(Topics.dlq(Topics.CHECKPOINTS)).isEqualTo("moelora.checkpoints.dlq");
  }

  @Test
  void historyTopicsAreKeptForeverAndNothingElse() {
    assertThat(Topics.all()).filteredOn(TopicSpec::keptForever).extracting(TopicSpec::name)
        .containsExactlyInAnyOrder(Topics.CHECKPOINTS, Topics.EVAL_RESULTS, Topics.JOB_EVENTS);
    assertThat(Topics.all()).filteredOn(t -> !t.keptForever()).extracting(TopicSpec::retentionMs).containsOnlyNulls();
  }
}
