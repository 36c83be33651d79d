package io.moelora.trainer.health;

import io.moelora.trainer.TrainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** The replica is useless when its consumer or training thread died: report it, so it is restarted. */
@Liveness
@Readiness
@ApplicationScoped
public class TrainerThreadsCheck implements HealthCheck {

  private final TrainerRuntime runtime;

  TrainerThreadsCheck(TrainerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("trainer threads").status(runtime.alive()).build();
  }
}
