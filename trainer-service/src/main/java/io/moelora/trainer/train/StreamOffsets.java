package io.moelora.trainer.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets as a checkpoint's {@code training_state.json} stores them: "topic-partition" → next
 * offset to consume (the Kafka console tools' notation).
 */
final class StreamOffsets {

  private StreamOffsets() {}

  static Map<String, Long> toState(Map<TopicPartition, Long> offsets) {
    Map<String, Long> out = new TreeMap<>();
    offsets.forEach((p, o) -> out.put(p.topic() + "-" + p.partition(), o));
    return out;
  }

  static Map<TopicPartition, Long> fromState(Map<String, Long> offsets) {
    Map<TopicPartition, Long> out = new HashMap<>();
    offsets.forEach((key, offset) -> {
      int dash = key.lastIndexOf('-');
      if (dash <= 0) {
        throw new IllegalArgumentException("consumed offset key '" + key + "' is not topic-partition");
      }
      out.put(new TopicPartition(key.substring(0, dash), Integer.parseInt(key.substring(dash + 1))), offset);
    });
    return out;
  }

  /** The first offset per partition among {@code buffered}, in order. */
  static Map<TopicPartition, Long> firstOf(Iterable<BufferedExample> buffered) {
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    for (BufferedExample b : buffered) {
      first.putIfAbsent(b.partition(), b.offset());
    }
    return first;
  }
}
