package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import jnr.posix.POSIX;
import org.jobhost.host.config.Config;
import org.jobhost.host.process.Posix;
import org.jobhost.host.service.ServiceException;
import org.jobhost.host.service.UserSwitch;

/** The user switch of a command-line process that runs plugin code. Stateless. */
final class ServiceUser {

  private ServiceUser() {}

  /**
   * Run by root with a {@code user} configured, becomes that user before any plugin code runs (and
   * hands it a dedicated state_dir first), so that what a plugin command writes (a database and its
   * WAL, a spool file) belongs to the user the daemon runs as, and a missing database is never
   * created by root. Native access is loaded only in that case. Returns false after printing why
   * the switch failed.
   */
  static boolean become(Config cfg, PrintWriter err) {
    String user = cfg.service().user();
    if (user == null || UserSwitch.processUid() != 0) {
      return true;
    }
    try {
      POSIX posix = Posix.load().nativePosix();
      if (posix == null) {
        throw new ServiceException(
            "native POSIX access (jnr-posix) is unavailable, and root needs it to run this"
                + " command as user "
                + user
                + "; run it through bin/jobhost, or as "
                + user
                + " (su -s /bin/sh -c '...' "
                + user
                + ")");
      }
      UserSwitch sw = new UserSwitch(posix);
      UserSwitch.Identity id = sw.resolve(user, cfg.service().group(), cfg.describeFile());
      if (id.uid() == 0) {
        return true;
      }
      try {
        sw.claim("state_dir", cfg.dirs().state(), id, true);
      } catch (IOException e) {
        throw new ServiceException(
            "cannot hand state_dir " + cfg.dirs().state() + " to user " + user + ": " + e, e);
      }
      sw.become(id);
      return true;
    } catch (ServiceException e) {
      err.println("jobhost: " + e.getMessage());
      return false;
    }
  }
}
