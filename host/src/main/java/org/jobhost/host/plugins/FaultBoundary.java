package org.jobhost.host.plugins;

import java.util.concurrent.Callable;
import org.jobhost.binding.LoadHints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the host calls plugin code: catch everything a plugin can throw (exceptions and
 * linkage errors), log it with the plugin id and what was being done, and carry on. Thread-safe.
 */
public final class FaultBoundary {

  private static final Logger log = LoggerFactory.getLogger("org.jobhost.host.plugins");

  /** A call into a plugin that returns nothing. */
  @FunctionalInterface
  public interface Call {
    /** Runs the plugin code. */
    void run() throws Exception;
  }

  private FaultBoundary() {}

  /**
   * Runs {@code call}; returns whether it completed without throwing.
   *
   * @param pluginId the plugin whose code runs
   * @param what what it was asked to do, such as {@code "JobSource.poll"}
   */
  public static boolean run(String pluginId, String what, Call call) {
    try {
      call.run();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("plugin={} {} was interrupted", pluginId, what);
      return false;
    } catch (Exception | LinkageError e) {
      log.error("plugin={} {} failed: {}", pluginId, what, describe(e), e);
      return false;
    }
  }

  /** Calls {@code call} and returns its value, or {@code fallback} when it throws. */
  public static <T> T call(String pluginId, String what, Callable<T> call, T fallback) {
    try {
      return call.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("plugin={} {} was interrupted", pluginId, what);
      return fallback;
    } catch (Exception | LinkageError e) {
      log.error("plugin={} {} failed: {}", pluginId, what, describe(e), e);
      return fallback;
    }
  }

  /** A linkage error gets the packaging hint; anything else is itself. */
  private static String describe(Throwable e) {
    return e instanceof LinkageError ? LoadHints.describe(e) : e.toString();
  }
}
