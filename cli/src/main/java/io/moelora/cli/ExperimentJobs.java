package io.moelora.cli;

import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The jobs of an experiment as the jobs topic holds them now: it is read from the beginning to its
 * end offsets, the latest value per key wins (as compaction keeps it), a tombstone removes a job, and
 * the jobs whose spec names the experiment are returned by id. A spec no service would accept is
 * skipped: the trainer rejects it, so it gets no examples either.
 */
final class ExperimentJobs {

    private ExperimentJobs() {}

    static List<String> read(String bootstrap, String experiment, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        Map<String, JobSpec> specs = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS, timeout).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalArgumentException("could not read " + Topics.JOBS + " at " + bootstrap + " within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        specs.remove(r.key());
                        continue;
                    }
                    try {
                        specs.put(r.key(), EventCodec.fromJson(r.value(), JobSpec.class));
                    } catch (EventFormatException invalid) {
                        specs.remove(r.key());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
        List<String> jobs = new ArrayList<>();
        specs.forEach((id, spec) -> {
            if (experiment.equals(spec.experiment())) {
                jobs.add(id);
            }
        });
        return jobs;
    }
}
