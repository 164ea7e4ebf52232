package org.jobhost.api;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a job ended. Closed: {@link Succeeded}, {@link Failed}, {@link TimedOut}, {@link Cancelled}.
 * On Java 17, switch over {@link #kind()}.
 *
 * <p>Every outcome carries {@link #output()}, the tail of what the job printed (empty when the
 * runner keeps none), so that a source can record it.
 */
public sealed interface Outcome
    permits Outcome.Succeeded, Outcome.Failed, Outcome.TimedOut, Outcome.Cancelled {

  /** The four ways a job ends. */
  enum Kind {
    /** The job did its work. */
    SUCCEEDED,
    /** The job ran and failed, or could not be run. */
    FAILED,
    /** The job ran past its timeout and was stopped. */
    TIMED_OUT,
    /** The job was stopped, or never started, because the host stopped. */
    CANCELLED
  }

  /** Which of the four ways. */
  Kind kind();

  /** A one-line human-readable summary: the reason for anything but success. */
  String message();

  /** The tail of the job's output; may be empty, never null. */
  String output();

  /** The exit code of the job's process, when the job was a process that exited. */
  default OptionalInt exitCode() {
    return OptionalInt.empty();
  }

  /** {@code true} for {@link Kind#SUCCEEDED}. */
  default boolean isSuccess() {
    return kind() == Kind.SUCCEEDED;
  }

  /** Success with no output. */
  static Outcome succeeded() {
    return new Succeeded("");
  }

  /** Success, keeping the tail of the output. */
  static Outcome succeeded(String output) {
    return new Succeeded(output);
  }

  /** Failure for a reason. */
  static Outcome failed(String reason) {
    return new Failed(reason, null, "");
  }

  /** Failure of a process that exited with {@code exitCode}, keeping the tail of its output. */
  static Outcome failed(String reason, int exitCode, String output) {
    return new Failed(reason, exitCode, output);
  }

  /** The job ran past {@code limit}. */
  static Outcome timedOut(Duration limit) {
    return new TimedOut(limit, "");
  }

  /** Cancelled for a reason (usually the host stopping). */
  static Outcome cancelled(String reason) {
    return new Cancelled(reason, "");
  }

  /** Success. */
  record Succeeded(String output) implements Outcome {
    /** Normalises a null output to empty. */
    public Succeeded {
      output = output == null ? "" : output;
    }

    @Override
    public Kind kind() {
      return Kind.SUCCEEDED;
    }

    @Override
    public String message() {
      return "succeeded";
    }
  }

  /**
   * Failure.
   *
   * @param reason why, for a human; never blank
   * @param code the process exit code, or {@code null} when the job was no process or did not exit
   * @param output the tail of the output
   */
  record Failed(String reason, Integer code, String output) implements Outcome {
    /** Validates. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
      output = output == null ? "" : output;
    }

    @Override
    public Kind kind() {
      return Kind.FAILED;
    }

    @Override
    public String message() {
      return reason;
    }

    @Override
    public OptionalInt exitCode() {
      return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }
  }

  /**
   * Stopped at its time limit.
   *
   * @param limit the timeout that was exceeded
   * @param output the tail of the output
   */
  record TimedOut(Duration limit, String output) implements Outcome {
    /** Validates. */
    public TimedOut {
      Objects.requireNonNull(limit, "limit");
      output = output == null ? "" : output;
    }

    @Override
    public Kind kind() {
      return Kind.TIMED_OUT;
    }

    @Override
    public String message() {
      return "timed out after " + Durations.format(limit);
    }

    /** The same outcome with the tail of the output kept. */
    public TimedOut withOutput(String tail) {
      return new TimedOut(limit, tail);
    }
  }

  /**
   * Cancelled.
   *
   * @param reason why, for a human
   * @param output the tail of the output
   */
  record Cancelled(String reason, String output) implements Outcome {
    /** Validates. */
    public Cancelled {
      Objects.requireNonNull(reason, "reason");
      output = output == null ? "" : output;
    }

    @Override
    public Kind kind() {
      return Kind.CANCELLED;
    }

    @Override
    public String message() {
      return reason;
    }
  }
}
