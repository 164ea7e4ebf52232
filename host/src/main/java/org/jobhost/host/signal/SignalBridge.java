package org.jobhost.host.signal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jobhost.api.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of {@code sun.misc.Signal}. Its handler runs on the JVM's short-lived signal thread
 * and does nothing but hand the signal to a sink that must return at once.
 *
 * <p>{@code sun.misc.Signal} is reached reflectively: it is supported ({@code jdk.unsupported}),
 * but javac flags every direct use with a warning that no annotation suppresses, and the build
 * treats warnings as errors. Thread-safe.
 */
public final class SignalBridge {

  private static final Logger log = LoggerFactory.getLogger(SignalBridge.class);

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

  private final Consumer<Signal> sink;
  private final Map<Signal, Installed> installed = new EnumMap<>(Signal.class);
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
        log.debug("signal={} the JVM refused a handler: {}", signal, e.getCause().toString());
        result = Installed.REFUSED;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot install a handler for " + signal.fullName(), e);
      }
    }
    if (result == Installed.INHERITED_IGNORED) {
      log.warn(
          "signal={} was inherited as ignored, so jobhost never sees it: the process was started"
              + " with nohup, or in the background (&) of a non-interactive shell. Start jobhost"
              + " with bin/jobhost, systemd or the init script instead",
          signal.fullName());
    }
    installed.put(signal, result);
    return result;
  }

  /** The result of installing each signal so far. */
  public synchronized Map<Signal, Installed> installed() {
    return Map.copyOf(installed);
  }

  /** Sends {@code signal} to this process, as {@code kill} would. For tests and self-signals. */
  public void raise(Signal signal) {
    try {
      Method raise = signalClass.getMethod("raise", signalClass);
      raise.invoke(null, newSignal.newInstance(signal.name()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot raise " + signal.fullName(), e);
    }
  }
}
