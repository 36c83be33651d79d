package io.moelora.eval.service;

/** A checkpoint (or one of its suites) that is not evaluated, with the reason people are shown. */
public class RefusedException extends Exception {

  public RefusedException(String reason) {
    super(reason);
  }

  public RefusedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
