package org.jobhost.api;

import java.util.Locale;

/**
 * The standard Linux signals (x86-64 and aarch64 numbering). Real-time signals are not listed: the
 * JVM cannot handle them.
 */
public enum Signal {
  /** Hang-up: jobhost reloads its configuration. */
  HUP(1),
  /** Interrupt (Ctrl-C): graceful stop. */
  INT(2),
  /** Quit: reserved by the JVM (thread dump). */
  QUIT(3),
  /** Illegal instruction: reserved by the JVM. */
  ILL(4),
  /** Trace trap. */
  TRAP(5),
  /** Abort. */
  ABRT(6),
  /** Bus error. */
  BUS(7),
  /** Floating-point exception: reserved by the JVM. */
  FPE(8),
  /** Kill: cannot be caught. */
  KILL(9),
  /** User signal 1: jobhost reopens its log files. */
  USR1(10),
  /** Segmentation fault: reserved by the JVM. */
  SEGV(11),
  /** User signal 2: free for plugins. */
  USR2(12),
  /** Broken pipe. */
  PIPE(13),
  /** Alarm clock. */
  ALRM(14),
  /** Termination: graceful stop. */
  TERM(15),
  /** Stack fault on coprocessor. */
  STKFLT(16),
  /** Child stopped or exited. */
  CHLD(17),
  /** Continue: jobhost resumes dispatch. */
  CONT(18),
  /** Stop: cannot be caught. */
  STOP(19),
  /** Terminal stop (Ctrl-Z): jobhost pauses dispatch. */
  TSTP(20),
  /** Background read from terminal: jobhost adds a worker slot. */
  TTIN(21),
  /** Background write to terminal: jobhost removes a worker slot. */
  TTOU(22),
  /** Urgent data on a socket. */
  URG(23),
  /** CPU time limit exceeded. */
  XCPU(24),
  /** File size limit exceeded. */
  XFSZ(25),
  /** Virtual alarm clock. */
  VTALRM(26),
  /** Profiling timer expired. */
  PROF(27),
  /** Window size change. */
  WINCH(28),
  /** I/O possible. */
  IO(29),
  /** Power failure. */
  PWR(30),
  /** Bad system call. */
  SYS(31);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  /** The signal's number on Linux. */
  public int number() {
    return number;
  }

  /** The full name, {@code "SIGUSR2"}. */
  public String fullName() {
    return "SIG" + name();
  }

  /**
   * Whether the JVM keeps this signal for itself, so no hook can ever see it: QUIT (thread dumps),
   * ILL, FPE, SEGV (the JVM's own fault handling), KILL and STOP (cannot be caught at all).
   */
  public boolean reservedByJvm() {
    switch (this) {
      case QUIT:
      case ILL:
      case FPE:
      case SEGV:
      case KILL:
      case STOP:
        return true;
      default:
        return false;
    }
  }

  /**
   * The signal that ended a process, read from its exit status as the shell and {@link
   * Process#exitValue()} report one: 128 plus the signal's number (137 for KILL).
   *
   * @return the signal, or {@code null} when the status is no such status (0 to 128, or a number
   *     beyond the listed signals)
   */
  public static Signal ofExitStatus(int status) {
    int n = status - 128;
    for (Signal s : values()) {
      if (s.number == n) {
        return s;
      }
    }
    return null;
  }

  /**
   * Parses {@code "SIGUSR2"}, {@code "USR2"}, {@code "usr2"} or {@code "12"}.
   *
   * @throws IllegalArgumentException naming the text, when it is no Linux signal
   */
  public static Signal parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a signal name or number is required, such as USR2");
    }
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(t.length() > 3 ? "999" : t);
      for (Signal s : values()) {
        if (s.number == n) {
          return s;
        }
      }
    } else {
      String name = t.startsWith("SIG") ? t.substring(3) : t;
      for (Signal s : values()) {
        if (s.name().equals(name)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "\"" + text + "\" is not a Linux signal; use a name such as USR2 or SIGUSR2, or 1 to 31");
  }
}
