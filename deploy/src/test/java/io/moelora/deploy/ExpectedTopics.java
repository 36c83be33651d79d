package io.moelora.deploy;

import io.moelora.events.TopicSpec;
import io.moelora.events.Topics;
import java.util.Map;
import java.util.TreeMap;

/** The topics as the code declares them ({@link Topics#all()}), in a form every deployment file is compared to. */
record ExpectedTopics() {

  /** One topic: partitions, cleanup policy and retention.ms (null = the broker's default). */
  record Topic(int partitions, String cleanupPolicy, String retentionMs) {}

  static Map<String, Topic> all() {
    var topics = new TreeMap<String, Topic>();
    for (TopicSpec spec : Topics.all()) {
      topics.put(spec.name(), new Topic(spec.partitions(), spec.cleanupPolicy(), spec.retentionMs()));
    }
    return topics;
  }
}
