package org.jobhost.host.signal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jobhost.api.Signal;

/**
 * The signals with a built-in action: which signal, what {@code jobhost signals} and the README say
 * it does, and which kind of handler the daemon binds to it. The one table of them: the daemon
 * binds its handlers from it, {@code jobhost signals} prints it, and a worker JVM takes over the
 * same signals. Immutable; thread-safe.
 */
public enum BuiltInSignal {
  HUP(Signal.HUP, "reload the configuration (a bad file keeps the old one)", Kind.RELOAD),
  INT(Signal.INT, "graceful stop; a second one stops at once", Kind.STOP),
  TERM(Signal.TERM, "graceful stop; a second one stops at once", Kind.STOP),
  TSTP(Signal.TSTP, "pause: start no new job", Kind.PAUSE),
  CONT(Signal.CONT, "resume after a pause (ignored while stopping)", Kind.RESUME),
  USR1(Signal.USR1, "reopen log files", Kind.REOPEN_LOGS),
  USR2(Signal.USR2, "none: free for plugins; logged and counted", Kind.NONE),
  TTIN(Signal.TTIN, "one more worker slot", Kind.GROW),
  TTOU(Signal.TTOU, "one worker slot fewer (never below 1)", Kind.SHRINK);

  /** What the daemon does on the signal; {@link #NONE} only logs and counts it. */
  public enum Kind {
    RELOAD,
    STOP,
    PAUSE,
    RESUME,
    REOPEN_LOGS,
    GROW,
    SHRINK,
    NONE
  }

  private static final Map<Signal, String> ACTIONS = actions();

  private final Signal signal;
  private final String action;
  private final Kind kind;

  BuiltInSignal(Signal signal, String action, Kind kind) {
    this.signal = signal;
    this.action = action;
    this.kind = kind;
  }

  /** The signal. */
  public Signal signal() {
    return signal;
  }

  /** The built-in action as {@code jobhost signals} shows it. */
  public String action() {
    return action;
  }

  /** Which handler the daemon binds. */
  public Kind kind() {
    return kind;
  }

  /** The built-in entry of {@code s}, empty for a signal without one. */
  public static Optional<BuiltInSignal> of(Signal s) {
    for (BuiltInSignal b : values()) {
      if (b.signal == s) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** Every signal with a built-in action; their handlers go in first thing. */
  public static Set<Signal> signals() {
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    for (BuiltInSignal b : values()) {
      out.add(b.signal);
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * The signals a worker JVM takes over: every built-in one whose default action would end or stop
   * the JVM. CONT is left out, since its default only continues the process.
   */
  public static Set<Signal> takenByWorker() {
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    for (BuiltInSignal b : values()) {
      if (b.kind != Kind.RESUME) {
        out.add(b.signal);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * What the daemon does on {@code s}, as {@code jobhost signals} and the README show it: the
   * built-in action, or for a signal without one what becomes of it; empty for a signal the table
   * does not name (a signal reserved by the JVM).
   */
  public static Optional<String> actionOf(Signal s) {
    return Optional.ofNullable(ACTIONS.get(s));
  }

  private static Map<Signal, String> actions() {
    Map<Signal, String> m = new LinkedHashMap<>();
    for (BuiltInSignal b : values()) {
      m.put(b.signal, b.action);
    }
    for (Signal s : SignalBridge.TAKEN_AT_START) {
      m.putIfAbsent(s, "none: logged and counted; never ends jobhost");
    }
    m.put(Signal.BUS, "left to the JVM (mapped-file faults); ends it");
    m.put(Signal.PIPE, "none (the JVM ignores it)");
    m.put(Signal.CHLD, "none (ignored)");
    m.put(Signal.URG, "none (ignored)");
    m.put(Signal.WINCH, "none (ignored)");
    return Map.copyOf(m);
  }
}
