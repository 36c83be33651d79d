package io.moelora.eval.messaging;

/** Incoming channel names, shared by the consumers and their tests; topics are set in config. */
public final class Channels {

  public static final String CHECKPOINTS = "checkpoints";

  private Channels() {}
}
