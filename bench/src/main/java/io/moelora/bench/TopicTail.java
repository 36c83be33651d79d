package io.moelora.bench;

import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** A topic read from its beginning, handing out only what arrived since the last call. No group, no commits. */
final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;

    TopicTail(String bootstrap, String topic) {
        this.consumer = TestKafkaClients.readFromBeginning(bootstrap, topic);
    }

    /** Records that arrived since the last call (waits up to {@code wait} when there are none). */
    List<ConsumerRecord<String, String>> next(Duration wait) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        consumer.poll(wait).forEach(out::add);
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
