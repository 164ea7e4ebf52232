package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the daemon runs as a service. Immutable.
 *
 * @param pidFile the PID file, held under a lock while the daemon lives
 * @param user the user to switch to when started as root, or {@code null} to stay
 * @param group the group to switch to, or {@code null} for the user's primary group
 * @param allowRoot whether the daemon may keep running plugins as root
 * @param logFormat how log lines are written ({@code log_format})
 */
public record ServiceConfig(
    Path pidFile, String user, String group, boolean allowRoot, LogFormat logFormat) {

  /** Validates. */
  public ServiceConfig {
    Objects.requireNonNull(pidFile, "pidFile");
    Objects.requireNonNull(logFormat, "logFormat");
  }

  /** With the default log format. */
  public ServiceConfig(Path pidFile, String user, String group, boolean allowRoot) {
    this(pidFile, user, group, allowRoot, Defaults.LOG_FORMAT);
  }

  /** The user to switch to, if any. */
  public Optional<String> switchUser() {
    return Optional.ofNullable(user);
  }
}
