package io.moelora.gateway.messaging;

/** Incoming channel names, shared by the consumers and their tests; topics are set in config. */
public final class Channels {

  public static final String JOBS = "jobs";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String TRAINING_METRICS = "training-metrics";
  public static final String EVAL_RESULTS = "eval-results";

  private Channels() {}
}
