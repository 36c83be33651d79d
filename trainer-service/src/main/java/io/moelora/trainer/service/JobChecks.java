package io.moelora.trainer.service;

import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.io.ModelReference;
import io.moelora.events.JobSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the schema cannot know about a job: whether this deployment can train it (its base model
 * exists inside the model directory, its adapter fits the core, its suites are known).
 */
public final class JobChecks {

  private JobChecks() {}

  /** Why the job cannot be trained here, or empty. */
  public static Optional<String> problem(JobSpec spec, Path modelDir) {
    try {
      JobPlan.of(spec);
      ModelReference.resolve(spec.baseModel(), modelDir);
      for (String suite : spec.eval().suites()) {
        SuiteRegistry.standard().resolve(suite);
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }
}
