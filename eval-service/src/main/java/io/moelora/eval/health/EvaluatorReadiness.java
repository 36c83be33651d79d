package io.moelora.eval.health;

import io.moelora.eval.service.EvalService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the published results have been read (before that a checkpoint could be evaluated
 * twice) and the consumer and evaluator threads are alive: a replica whose evaluator died would keep
 * its partitions and evaluate nothing.
 */
@Readiness
@ApplicationScoped
public class EvaluatorReadiness implements HealthCheck {

  public static final String NAME = "Checkpoint evaluator";

  private final EvalService service;

  EvaluatorReadiness(EvalService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    String problem = service.notReady();
    return HealthCheckResponse.named(NAME)
        .status(problem.isEmpty())
        .withData("pendingCheckpoints", service.pendingCheckpoints())
        .withData("openRecords", service.openRecords())
        .withData("problem", problem.isEmpty() ? "none" : problem)
        .build();
  }
}
