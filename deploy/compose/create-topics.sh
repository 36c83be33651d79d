#!/usr/bin/env bash
# Creates the topics of MoELoRA Streams (io.moelora.events.Topics): name, partitions, cleanup policy
# and retention. Topics that exist are left as they are. Run by the compose stack's kafka-topics
# service; works against any broker:
#   KAFKA_BOOTSTRAP_SERVERS=host:9092 deploy/compose/create-topics.sh
# REPLICATION_FACTOR (default 1) suits a single node; KAFKA_TOPICS is the kafka-topics command.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?set KAFKA_BOOTSTRAP_SERVERS, e.g. kafka:9092}"
replication="${REPLICATION_FACTOR:-1}"
read -r -a kafka_topics <<<"${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

# topic NAME PARTITIONS POLICY [RETENTION_MS]
topic() {
  local name=$1 partitions=$2 policy=$3 retention=${4:-}
  local configs=(--config "cleanup.policy=$policy")
  [ -z "$retention" ] || configs+=(--config "retention.ms=$retention")
  "${kafka_topics[@]}" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "$replication" "${configs[@]}"
  # The DLQ of every topic: one partition, never compacted (every rejected record is kept).
  "${kafka_topics[@]}" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name.dlq" \
    --partitions 1 --replication-factor "$replication" --config cleanup.policy=delete
}

# Job-keyed topics share one partition count, so a trainer that owns partition p owns whole jobs.
topic moelora.jobs               6 compact
topic moelora.training-examples  6 delete
# History the gateway rebuilds its boards and job views from: never deleted by age.
topic moelora.checkpoints        6 delete -1
topic moelora.training-metrics   6 delete
topic moelora.eval-results       6 delete -1
topic moelora.job-events         6 delete -1
topic moelora.eval-progress      6 delete
topic moelora.leaderboard        1 compact
echo "topics ready on $bootstrap"
