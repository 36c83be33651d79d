package io.moelora.trainer.stream;

import io.moelora.events.TrainingExample;
import java.util.Optional;

/** Limits on an example beyond its schema: what a replica is willing to hold and tokenize. */
public final class ExampleChecks {

  private ExampleChecks() {}

  /** Why the example is refused, or empty when it may be trained. */
  public static Optional<String> problem(TrainingExample e, int maxChars) {
    long chars = (long) e.instruction().length() + (e.input() == null ? 0 : e.input().length())
        + e.output().length();
    if (chars > maxChars) {
      return Optional.of("example " + e.exampleId() + " has " + chars + " characters of text, more than the limit "
          + maxChars + " (moelora.trainer.max-example-chars)");
    }
    return Optional.empty();
  }
}
