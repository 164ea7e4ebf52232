package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the daemon keeps things, each an absolute path. Immutable.
 *
 * @param home the installation directory, against which relative paths in the file resolve
 * @param plugins {@code plugins_dir}: where plugin jars and zips are loaded from
 * @param logs {@code log_dir}: where log files go
 * @param state {@code state_dir}: what survives restarts (databases, the record of process groups)
 * @param run {@code run_dir}: the PID file and the control socket
 */
public record Directories(Path home, Path plugins, Path logs, Path state, Path run) {

  /** Validates. */
  public Directories {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(plugins, "plugins");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(run, "run");
  }
}
