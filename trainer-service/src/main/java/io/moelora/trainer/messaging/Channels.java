package io.moelora.trainer.messaging;

/** Incoming channel names, shared by the consumers and their tests; topics are set in config. */
public final class Channels {

  public static final String JOBS = "jobs";

  private Channels() {}
}
