package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import jnr.posix.POSIX;
import jnr.posix.Passwd;
import org.jobhost.api.Signal;
import org.jobhost.host.config.Config;
import org.jobhost.host.control.ControlClient;
import org.jobhost.host.control.ControlProtocol;
import org.jobhost.host.process.Posix;
import org.jobhost.host.service.DaemonProcess;
import org.jobhost.host.service.PidFile;
import org.jobhost.host.service.ServiceException;

/**
 * How a command reaches the running daemon: whether one holds the PID file, a request over its
 * control socket, and a signal to the process verified through the kernel. Each prints why it
 * failed on the error writer. Not thread-safe; one instance per invocation.
 */
final class DaemonLink {

  private final PrintWriter err;

  DaemonLink(PrintWriter err) {
    this.err = err;
  }

  /** A client for the control socket of the daemon {@code cfg} describes. */
  static ControlClient client(Config cfg) {
    return new ControlClient(
        cfg.dirs().run().resolve(ControlProtocol.SOCKET_NAME), cfg.service().user());
  }

  /**
   * Whether a daemon holds the PID file: its pid as the file says (for messages only; 0 when the
   * file holds none), or -1 after printing why there is none.
   */
  long runningPid(Config cfg) {
    PidFile.Status s = PidFile.inspect(cfg.service().pidFile());
    if (s.state() != PidFile.State.RUNNING) {
      err.println(
          "jobhost is not running"
              + (s.state() == PidFile.State.STALE
                  ? " (the PID file "
                      + s.file()
                      + " is stale; "
                      + (s.pid() > 0 ? "it named pid " + s.pid() : "it names no pid")
                      + ")"
                  : " (no PID file " + s.file() + ")"));
      return -1;
    }
    return Math.max(0, s.pid());
  }

  /** Sends a request; prints a refusal. Returns {@code null} when there was no answer. */
  ControlProtocol ask(Config cfg, String request, Duration timeout) {
    ControlClient c = client(cfg);
    if (!c.present()) {
      return null;
    }
    try {
      ControlProtocol a = c.request(request, timeout);
      if (!a.ok()) {
        err.println("jobhost " + request + ": " + a.error());
      }
      return a;
    } catch (IOException e) {
      err.println(
          "jobhost: the control socket " + c.socket() + " does not answer: " + e.getMessage());
      return null;
    }
  }

  /**
   * Sends {@code s} to the daemon that holds the PID file's lock (one process, never a group),
   * verified through the kernel and /proc first (the file's content is never trusted). Returns that
   * daemon, or {@code null} after printing why nothing was sent.
   */
  DaemonProcess signalVerified(Config cfg, Signal s) {
    DaemonProcess d = verified(cfg);
    return d != null && signal(d, s) ? d : null;
  }

  /**
   * The daemon that holds the PID file's lock, verified, or {@code null} after printing why nothing
   * may be signalled.
   */
  private DaemonProcess verified(Config cfg) {
    try {
      OptionalLong uid = OptionalLong.empty();
      String user = cfg.service().user();
      if (user != null) {
        POSIX p = Posix.load().nativePosix();
        Passwd pw = p == null ? null : p.getpwnam(user);
        if (pw == null) {
          err.println(
              "jobhost: cannot look up user \""
                  + user
                  + "\" ("
                  + cfg.describeFile()
                  + "), so the daemon cannot be verified; nothing was signalled");
          return null;
        }
        uid = OptionalLong.of(pw.getUID());
      }
      Path pidFile = cfg.service().pidFile();
      return DaemonProcess.verify(pidFile, DaemonProcess.expectedUids(pidFile, uid));
    } catch (ServiceException e) {
      err.println("jobhost: " + e.getMessage());
      return null;
    }
  }

  private boolean signal(DaemonProcess d, Signal s) {
    if (d.pid() < 2 || !Posix.load().kill(d.pid(), s)) {
      err.println("jobhost: cannot send " + s.fullName() + " to pid " + d.pid());
      return false;
    }
    return true;
  }
}
