package org.jobhost.host.signal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jobhost.api.Signal;
import org.jobhost.host.logging.LazyLog;

/**
 * The one owner of {@code sun.misc.Signal}. Its handler runs on the JVM's short-lived signal thread
 * and does nothing but hand the signal to a sink that must return at once.
 *
 * <p>{@code sun.misc.Signal} is reached reflectively: it is supported ({@code jdk.unsupported}),
 * but javac flags every direct use with a warning that no annotation suppresses, and the build
 * treats warnings as errors. Thread-safe.
 */
public final class SignalBridge {

  private static final LazyLog log = new LazyLog(SignalBridge.class);

  /** What happened when a handler was installed. */
  public enum Installed {
    /** The handler is in place. */
    OK,
    /**
     * The signal was inherited as ignored (nohup, or {@code &} in a script); the JVM keeps it so.
     */
    INHERITED_IGNORED,
    /** The JVM refused (a reserved signal, or one the platform lacks). */
    REFUSED
  }

  /**
   * The signals taken over from the first line of {@code main} (by the daemon and every command but
   * the short control commands; see {@code Cli.takesStraySignals}), bound or not: every signal the
   * JVM lets a program handle whose default action would end or stop the process. Measured on JDK
   * 17 and 25, each of TRAP, ABRT, STKFLT, XCPU, XFSZ, VTALRM, PROF, IO, PWR, SYS and ALRM
   * otherwise ends the JVM at once without a log line; USR1 and USR2 kill or crash it; TSTP, TTIN
   * and TTOU stop it. Left out on purpose:
   *
   * <ul>
   *   <li>HUP, INT and TERM: until the daemon installs its own actions, the JVM's handler (an
   *       orderly exit) is the right one, also for every CLI command.
   *   <li>BUS: HotSpot uses it to turn a fault on a memory-mapped file (a file truncated under a
   *       mapping) into an {@code InternalError} on the faulting thread. A Java handler would
   *       replace that: the handler runs on another thread, the faulting instruction is retried and
   *       faults again, forever, so a real bus error would wedge the daemon instead of failing one
   *       call. A stray {@code kill -BUS} therefore still ends the daemon, as it ends any JVM,
   *       unless a plugin hook binds BUS on purpose.
   *   <li>PIPE, CHLD, URG, WINCH and CONT: their default action ends nothing (the JVM ignores PIPE
   *       itself); CONT is the daemon's resume, installed with the other built-in actions.
   * </ul>
   *
   * <p>ABRT is taken: a stray {@code kill -ABRT} is logged and counted, while a real {@code
   * abort()} (a JVM crash) still ends the process, since glibc's abort restores the default action
   * and raises the signal again when a handler returns.
   */
  public static final Set<Signal> TAKEN_AT_START = takenAtStart();

  private static SignalBridge forProcess;

  private volatile Consumer<Signal> sink;
  private final Map<Signal, Installed> installed = new EnumMap<>(Signal.class);

  /** Whether the inherited-as-ignored warnings wait for {@link #releaseWarnings}. */
  private boolean warningsHeld = true;

  private final Class<?> signalClass;
  private final Class<?> handlerClass;
  private final Method handle;
  private final Constructor<?> newSignal;
  private final Object ignore;

  /**
   * @param sink receives every delivered signal on the signal thread; must not block
   */
  public SignalBridge(Consumer<Signal> sink) {
    this.sink = sink;
    try {
      signalClass = Class.forName("sun.misc.Signal");
      handlerClass = Class.forName("sun.misc.SignalHandler");
      handle = signalClass.getMethod("handle", signalClass, handlerClass);
      newSignal = signalClass.getConstructor(String.class);
      ignore = handlerClass.getField("SIG_IGN").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "this JVM has no sun.misc.Signal (module jdk.unsupported); jobhost needs it to handle"
              + " signals",
          e);
    }
  }

  /**
   * The bridge of this process (signal dispositions are process-wide, so there is one), created on
   * the first call with every signal of {@link #TAKEN_AT_START} installed and a sink that logs and
   * counts each one in {@code unbound} until {@link #attach} gives it a daemon. Called from the
   * first line of {@code main}, so that no stray signal meets its default action while the JVM
   * starts.
   */
  public static synchronized SignalBridge forProcess(UnboundSignals unbound) {
    if (forProcess == null) {
      SignalBridge bridge = new SignalBridge(s -> unbound.note(s, 1));
      for (Signal s : TAKEN_AT_START) {
        bridge.install(s);
      }
      forProcess = bridge;
    }
    return forProcess;
  }

  /**
   * The process's bridge, taking over the signals of {@link #TAKEN_AT_START} if nothing has yet.
   */
  public static SignalBridge forProcess() {
    return forProcess(new UnboundSignals());
  }

  /** From now on, every signal handled by this bridge goes to {@code sink}; must not block. */
  public void attach(Consumer<Signal> sink) {
    this.sink = sink;
  }

  private static Set<Signal> takenAtStart() {
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    for (Signal s : Signal.values()) {
      if (!s.reservedByJvm()) {
        out.add(s);
      }
    }
    out.removeAll(
        EnumSet.of(
            Signal.HUP,
            Signal.INT,
            Signal.TERM,
            Signal.BUS,
            Signal.PIPE,
            Signal.CHLD,
            Signal.URG,
            Signal.WINCH,
            Signal.CONT));
    return Set.copyOf(out);
  }

  /**
   * Installs the handler for a signal. A signal inherited as ignored is logged as a warning that
   * names the signal and the likely cause, since its built-in action and hooks will never run.
   */
  public synchronized Installed install(Signal signal) {
    Installed done = installed.get(signal);
    if (done != null) {
      return done;
    }
    Installed result;
    if (signal.reservedByJvm()) {
      result = Installed.REFUSED;
    } else {
      try {
        Object jvmSignal = newSignal.newInstance(signal.name());
        Object handler =
            Proxy.newProxyInstance(
                handlerClass.getClassLoader(),
                new Class<?>[] {handlerClass},
                (proxy, method, args) -> {
                  if (method.getName().equals("handle")) {
                    sink.accept(signal);
                    return null;
                  }
                  if (method.getName().equals("toString")) {
                    return "jobhost handler for " + signal.fullName();
                  }
                  if (method.getName().equals("hashCode")) {
                    return System.identityHashCode(proxy);
                  }
                  if (method.getName().equals("equals")) {
                    return proxy == args[0];
                  }
                  return null;
                });
        Object previous = handle.invoke(null, jvmSignal, handler);
        result = previous == ignore ? Installed.INHERITED_IGNORED : Installed.OK;
      } catch (InvocationTargetException e) {
        log.get().debug("signal={} the JVM refused a handler: {}", signal, e.getCause().toString());
        result = Installed.REFUSED;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot install a handler for " + signal.fullName(), e);
      }
    }
    installed.put(signal, result);
    if (result == Installed.INHERITED_IGNORED) {
      if (warningsHeld) {
        log.get()
            .debug("signal={} was inherited as ignored (warned once logging is set up)", signal);
      } else {
        warnIgnored(signal);
      }
    }
    return result;
  }

  /**
   * Logs, for each signal found inherited as ignored so far, the warning {@link #install} holds
   * back until the daemon's logging is set up (its format and files), then warns at once for any
   * found later. Called once the logging configuration is applied, so the warning is written in the
   * configured format and reaches the log files, not only the console.
   */
  public synchronized void releaseWarnings() {
    if (!warningsHeld) {
      return;
    }
    warningsHeld = false;
    installed.forEach(
        (signal, result) -> {
          if (result == Installed.INHERITED_IGNORED) {
            warnIgnored(signal);
          }
        });
  }

  private static void warnIgnored(Signal signal) {
    log.get()
        .warn(
            "signal={} was inherited as ignored, so jobhost never sees it: the process was started"
                + " with nohup, or in the background (&) of a non-interactive shell. Start jobhost"
                + " with bin/jobhost, systemd or the init script instead",
            signal.fullName());
  }

  /** The result of installing each signal so far. */
  public synchronized Map<Signal, Installed> installed() {
    return Map.copyOf(installed);
  }
}
