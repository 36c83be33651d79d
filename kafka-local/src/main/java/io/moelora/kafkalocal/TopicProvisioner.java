package io.moelora.kafkalocal;

import io.moelora.events.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates topics that do not exist yet; existing ones are left exactly as they are. */
public final class TopicProvisioner {

  private TopicProvisioner() {}

  /**
   * Creates each missing topic of {@code specs} with replication factor 1 (a single node).
   *
   * @return the names it created
   */
  public static List<String> ensure(Admin admin, List<TopicSpec> specs)
      throws ExecutionException, InterruptedException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    var missing = new ArrayList<NewTopic>();
    for (TopicSpec spec : specs) {
      if (!existing.contains(spec.name())) {
        Map<String, String> configs = new java.util.HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy());
        if (spec.retentionMs() != null) {
          configs.put(TopicConfig.RETENTION_MS_CONFIG, spec.retentionMs());
        }
        missing.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(configs));
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    var created = new ArrayList<String>();
    for (var entry : admin.createTopics(missing).values().entrySet()) {
      try {
        entry.getValue().get(30, TimeUnit.SECONDS);
        created.add(entry.getKey());
      } catch (ExecutionException e) {
        // Someone else created it between our listing and our request: that is success.
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
    }
    created.sort(null);
    return List.copyOf(created);
  }
}
