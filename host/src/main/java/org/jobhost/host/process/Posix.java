package org.jobhost.host.process;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.jobhost.api.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few POSIX calls the JDK lacks: signalling a process group. Uses jnr-posix when native access
 * works and falls back to running {@code kill(1)}.
 *
 * <p>jnr-posix takes about 0.4 s to initialise (it generates its native bindings), more than the
 * daemon's whole start-up; so it is loaded on first use, or ahead of it by {@link #warmUp()} on a
 * short-lived thread. Thread-safe.
 */
public final class Posix {

  private static final Logger log = LoggerFactory.getLogger(Posix.class);

  private final Object lock = new Object();
  private volatile boolean loaded;
  private volatile boolean warming;
  private volatile POSIX posix;

  private Posix() {}

  /** A handle that loads native access on first use (or falls back to {@code kill(1)}). */
  public static Posix load() {
    return new Posix();
  }

  /** Starts loading native access on a short-lived background thread, if not done yet. */
  public void warmUp() {
    if (loaded || warming) {
      return;
    }
    warming = true;
    Thread t = new Thread(this::nativePosix, "jobhost-posix-init");
    t.setDaemon(true);
    t.start();
  }

  /** The jnr-posix handle, or {@code null} when native access is unavailable. */
  public POSIX nativePosix() {
    if (loaded) {
      return posix;
    }
    synchronized (lock) {
      if (!loaded) {
        try {
          POSIX p = POSIXFactory.getNativePOSIX();
          p.getpid();
          posix = p;
        } catch (RuntimeException | LinkageError e) {
          log.warn(
              "native POSIX access is unavailable ({}); signalling process groups through kill(1)",
              e.toString());
        }
        loaded = true;
      }
      return posix;
    }
  }

  /**
   * Sends {@code signal} to the process group {@code pgid}.
   *
   * @return whether the group existed
   */
  public boolean killGroup(long pgid, Signal signal) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("refusing to signal process group " + pgid);
    }
    return kill(-pgid, signal);
  }

  /**
   * Whether any process (zombies included) is in group {@code pgid}: {@code kill(-pgid, 0)}.
   * Without native access, answers {@code true} (the caller then looks in /proc).
   */
  public boolean groupExists(long pgid) {
    POSIX p = nativePosix();
    if (p == null || pgid <= 1) {
      return true;
    }
    return p.kill((int) -pgid, 0) == 0;
  }

  /** Sends {@code signal} to one process (or a group when {@code pid} is negative). */
  public boolean kill(long pid, Signal signal) {
    POSIX p = nativePosix();
    if (p != null) {
      return p.kill((int) pid, signal.number()) == 0;
    }
    try {
      Process k =
          new ProcessBuilder("kill", "-s", signal.name(), "--", Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!k.waitFor(5, TimeUnit.SECONDS)) {
        k.destroyForcibly();
        return false;
      }
      return k.exitValue() == 0;
    } catch (IOException e) {
      log.error("cannot run kill(1) to send {} to {}: {}", signal.fullName(), pid, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
