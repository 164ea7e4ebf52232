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
 * works and falls back to running {@code kill(1)}. Thread-safe.
 */
public final class Posix {

  private static final Logger log = LoggerFactory.getLogger(Posix.class);

  private final POSIX posix;

  private Posix(POSIX posix) {
    this.posix = posix;
  }

  /** Native access when available, else the {@code kill(1)} fallback (logged once). */
  public static Posix load() {
    try {
      POSIX p = POSIXFactory.getNativePOSIX();
      p.getpid();
      return new Posix(p);
    } catch (RuntimeException | LinkageError e) {
      log.warn(
          "native POSIX access is unavailable ({}); signalling process groups through kill(1)",
          e.toString());
      return new Posix(null);
    }
  }

  /** The jnr-posix handle, or {@code null} when native access is unavailable. */
  public POSIX nativePosix() {
    return posix;
  }

  /** This process's id. */
  public long pid() {
    return ProcessHandle.current().pid();
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
    if (posix == null || pgid <= 1) {
      return true;
    }
    return posix.kill((int) -pgid, 0) == 0;
  }

  /** Sends {@code signal} to one process (or a group when {@code pid} is negative). */
  public boolean kill(long pid, Signal signal) {
    if (posix != null) {
      return posix.kill((int) pid, signal.number()) == 0;
    }
    try {
      Process p =
          new ProcessBuilder("kill", "-s", signal.name(), "--", Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      log.error("cannot run kill(1) to send {} to {}: {}", signal.fullName(), pid, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
