package io.moelora.gateway;

import io.moelora.gateway.config.GatewayConfig;
import io.moelora.messaging.EventPublisher;
import io.moelora.messaging.InboundEvents;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts this replica's {@link GatewayNode} (views rebuilt from the topics, event log, board
 * publisher) and the producer the API writes with; stops them at shutdown. Refuses to start with
 * write access open by accident: a token is required unless auth is explicitly disabled.
 */
@Startup
@ApplicationScoped
public class GatewayRuntime {

  private static final Logger LOG = Logger.getLogger(GatewayRuntime.class);

  private final EventPublisher publisher;
  private final GatewayNode node;

  GatewayRuntime(GatewayConfig config, InboundEvents inbound,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    checkAuth(config.auth());
    String clientId = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
    this.publisher = new EventPublisher(bootstrap, clientId);
    this.node = new GatewayNode(new GatewayNode.Settings(bootstrap, config.feed().group(), clientId,
        config.leaderboard().publish(), config.leaderboard().publishRows(), config.sse().replayEvents(),
        config.feed().metricsPerJob()), inbound, publisher::deadLetter).start();
  }

  public GatewayNode node() {
    return node;
  }

  public EventPublisher publisher() {
    return publisher;
  }

  private static void checkAuth(GatewayConfig.Auth auth) {
    if (auth.disabled()) {
      LOG.warn("Access control is DISABLED (moelora.gateway.auth.disabled): anyone who reaches this port can"
          + " create jobs and push examples. For development only.");
      return;
    }
    if (auth.token().filter(t -> !t.isBlank()).isEmpty()) {
      throw new IllegalStateException("No API token: set MOELORA_GATEWAY_AUTH_TOKEN (e.g. from a Kubernetes"
          + " Secret), or MOELORA_GATEWAY_AUTH_DISABLED=true for local development");
    }
    LOG.infof("Write endpoints require the bearer token; reads are %s",
        auth.protectReads() ? "protected too" : "open");
  }

  @PreDestroy
  void stop() {
    node.close();
    publisher.close();
  }
}
