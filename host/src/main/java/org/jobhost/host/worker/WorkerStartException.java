package org.jobhost.host.worker;

/** A worker JVM could not be started or died before it was ready; the message says why. */
final class WorkerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  WorkerStartException(String message) {
    super(message);
  }
}
