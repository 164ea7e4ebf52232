package org.jobhost.command;

/**
 * A job's params cannot be run: the message names the job, the param, the offending value and the
 * fix. The runner turns it into a FAILED outcome; it never leaves the plugin. Immutable.
 */
final class InvalidParamsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InvalidParamsException(String jobId, String problem) {
    super("job " + jobId + ": " + problem);
  }
}
