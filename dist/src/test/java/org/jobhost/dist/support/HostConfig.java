package org.jobhost.dist.support;

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
        HostProcess.tree().resolve("plugins"),
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
    String toml =
        String.join(
                "\n",
                "plugins_dir = \"" + plugins + "\"",
                "log_dir = \"" + dir.resolve("logs") + "\"",
                "state_dir = \"" + dir.resolve("var") + "\"",
                "run_dir = \"" + dir.resolve("run") + "\"",
                "pid_file = \"" + dir.resolve("run/jobhost.pid") + "\"")
            + "\n"
            + String.join("\n", lines)
            + "\n";
    Path file = dir.resolve("jobhost.toml");
    try {
      Files.writeString(file, toml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HostConfig(dir, file);
  }

  /** The spool directory these tests configure: {@code dir/spool}. */
  public Path spool() {
    return dir.resolve("spool");
  }
}
