package org.jobhost.cron.worklog;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One run of a command or subcommand of this plugin, as picocli parsed it: the subclass declares
 * the options and computes the exit code; this class gives it the streams the host set and the
 * usage errors that name the (sub)command. Not thread-safe (one command per process).
 */
public abstract class Invocation implements Callable<Integer> {

  @Spec private CommandSpec spec;

  /** For the commands of this plugin. */
  protected Invocation() {}

  /** Standard output. */
  protected final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error. */
  protected final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * A usage error to throw: the host prints {@code message} and this (sub)command's usage, and
   * exits with 2.
   */
  protected final CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * The value of a numeric option, or {@code fallback} when it was not given.
   *
   * @throws CommandLine.ParameterException when the value is below {@code min}, naming the option
   */
  protected final int atLeast(String option, Integer value, int fallback, int min) {
    if (value == null) {
      return fallback;
    }
    if (value < min) {
      throw usage(option + " must be at least " + min + " (was " + value + ")");
    }
    return value;
  }
}
