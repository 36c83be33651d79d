package io.moelora.gateway.health;

import io.moelora.gateway.GatewayRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the views are rebuilt from the topics: a replica that is still replaying would show
 * partial boards, so a load balancer should not send it clients yet.
 */
@Readiness
@ApplicationScoped
public class FeedReadiness implements HealthCheck {

  private final GatewayRuntime runtime;

  FeedReadiness(GatewayRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public HealthCheckResponse call() {
    var feed = runtime.node().feed();
    return HealthCheckResponse.named("Gateway views rebuilt from Kafka")
        .status(feed.alive() && feed.caughtUp())
        .withData("caughtUp", feed.caughtUp())
        .build();
  }
}
