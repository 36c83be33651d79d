package io.moelora.kafkalocal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The server properties of a combined broker + controller node that is its own cluster. */
final class BrokerProperties {

  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final int NODE_ID = 1;

  private BrokerProperties() {}

  /** Properties for {@code config}, whose ports must already be resolved. */
  static Map<String, String> of(BrokerConfig config) {
    String host = config.host();
    String dataDir = config.dataDir().toAbsolutePath().toString();
    var props = new LinkedHashMap<String, String>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + config.controllerPort());
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners", "PLAINTEXT://" + host + ":" + config.port()
        + "," + CONTROLLER_LISTENER + "://" + host + ":" + config.controllerPort());
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + config.port());
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir);
    props.put("metadata.log.dir", dataDir);
    // One node: every internal topic must be satisfiable with a single replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer internal partitions than the defaults (50): the first consumer group and the first
    // transaction come up in well under a second on two cores.
    props.put("offsets.topic.num.partitions", "10");
    props.put("transaction.state.log.num.partitions", "10");
    // A lone member need not wait for others to join.
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "3");
    // The cleaner's default 128 MiB buffer OOMs small heaps (compacted topics start the cleaner).
    props.put("log.cleaner.dedupe.buffer.size", "16777216");
    return props;
  }
}
