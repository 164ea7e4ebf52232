package org.jobhost.host.service;

/**
 * The service cannot start (PID file held, directory not writable, user unknown); the message says
 * why and what to do.
 */
public final class ServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and what to do
   */
  public ServiceException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong and what to do
   * @param cause the underlying error
   */
  public ServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
