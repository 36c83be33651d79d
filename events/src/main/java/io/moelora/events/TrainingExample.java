package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One instruction-tuning example, the value on {@link Topics#TRAINING_EXAMPLES} (key:
 * {@code jobId}). Fields follow the Alpaca / LLM-Adapters layout.
 *
 * @param schemaVersion {@link EventSchema#CURRENT} when written by this code
 * @param jobId         the job that trains on it, matches {@code [A-Za-z0-9._-]{1,128}}
 * @param exampleId     producer-chosen id, unique within the job, matches {@code [A-Za-z0-9._-]{1,128}}
 * @param instruction   non-blank, at most {@value #MAX_TEXT} characters; like input and output, without U+FFFD
 *                      (the replacement of bytes that were not UTF-8)
 * @param input         optional context; absent or null reads as "", at most {@value #MAX_TEXT} characters
 * @param output        the target response, non-blank, at most {@value #MAX_TEXT} characters
 * @param task          optional label for per-task statistics (e.g. {@code gsm8k}); null when absent
 */
public record TrainingExample(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    String exampleId,
    String instruction,
    String input,
    String output,
    String task) implements JobKeyed {

  /** Far above any cutoff (8192 tokens): anything longer is a producer bug, not data. */
  public static final int MAX_TEXT = 100_000;

  public TrainingExample {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    FieldChecks.id("exampleId", exampleId);
    FieldChecks.text("instruction", instruction, MAX_TEXT);
    input = input != null ? input : "";
    if (input.length() > MAX_TEXT) {
      throw new IllegalArgumentException("input must have at most " + MAX_TEXT
          + " characters, got " + input.length());
    }
    FieldChecks.text("output", output, MAX_TEXT);
    FieldChecks.decodedText("instruction", instruction);
    FieldChecks.decodedText("input", input);
    FieldChecks.decodedText("output", output);
    if (task != null) {
      EvalSpec.checkSuiteName("task", task);
    }
  }

  /** An example of the current schema version. */
  public TrainingExample(String jobId, String exampleId, String instruction, String input,
      String output, String task) {
    this(EventSchema.CURRENT, jobId, exampleId, instruction, input, output, task);
  }
}
