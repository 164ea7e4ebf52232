package org.jobhost.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A configuration file for a daemon under test: the tree's plugins, every directory (state, logs,
 * run, pid file, spool) inside one temporary directory so that tests never share or leave state,
 * the demo source off, the spool without minimum age, and whatever TOML a test adds. Immutable.
 *
 * @param dir the temporary directory that holds the state of this daemon
 * @param file the written configuration file
 */
public record HostConfig(Path dir, Path file) {

  /**
   * Writes {@code dir/jobhost.toml}. {@code topLevel} goes before the first table (keys such as
   * {@code max_workers}); {@code tables} after the defaults ({@code [plugins.cron]} and the like).
   */
  public static HostConfig write(Path dir, String topLevel, String tables) {
    return bare(
        dir,
        Tree.root().resolve("plugins"),
        "idle_time = \"1s\"",
        "grace_timeout = \"2s\"",
        "kill_timeout = \"2s\"",
        topLevel,
        "",
        "[plugins.demo]",
        "enabled = false",
        "",
        "[plugins.cron]",
        "host_name = \"it-host\"",
        "",
        "[plugins.spool]",
        "dir = \"" + dir.resolve("spool") + "\"",
        "min_age = \"0s\"",
        "",
        tables);
  }

  /**
   * Writes {@code dir/jobhost.toml} with only the directories: plugins from {@code plugins} (not
   * the tree's), state, logs, run directory and pid file inside {@code dir}, then {@code lines}.
   */
  public static HostConfig bare(Path dir, Path plugins, String... lines) {
    String toml = directories(dir, plugins) + String.join("\n", lines) + "\n";
    Path file = dir.resolve("jobhost.toml");
    try {
      Files.writeString(file, toml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HostConfig(dir, file);
  }

  /**
   * The top-level keys that keep a daemon's files inside {@code dir}: {@code plugins_dir} (given),
   * {@code log_dir} ({@code dir/logs}), {@code state_dir} ({@code dir/var}), {@code run_dir} and
   * {@code pid_file} ({@code dir/run/jobhost.pid}), one per line.
   */
  public static String directories(Path dir, Path plugins) {
    return directories(dir, plugins, dir.resolve("var"), dir.resolve("logs"));
  }

  /** As {@link #directories(Path, Path)} with the state and log directories given. */
  public static String directories(Path dir, Path plugins, Path state, Path logs) {
    return directoriesOnly(dir, plugins, state, logs)
        + "pid_file = \""
        + dir.resolve("run").resolve("jobhost.pid")
        + "\"\n";
  }

  /**
   * As {@link #directories(Path, Path)} without {@code pid_file}, which then takes its default
   * ({@code run_dir/jobhost.pid}).
   */
  public static String directoriesOnly(Path dir, Path plugins) {
    return directoriesOnly(dir, plugins, dir.resolve("var"), dir.resolve("logs"));
  }

  private static String directoriesOnly(Path dir, Path plugins, Path state, Path logs) {
    return String.join(
        "\n",
        "plugins_dir = \"" + plugins + "\"",
        "log_dir = \"" + logs + "\"",
        "state_dir = \"" + state + "\"",
        "run_dir = \"" + dir.resolve("run") + "\"",
        "");
  }

  /** The spool directory these tests configure: {@code dir/spool}. */
  public Path spool() {
    return dir.resolve("spool");
  }
}
