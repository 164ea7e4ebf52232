package org.jobhost.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.config.ConfigLoader;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The configuration of a control command ({@code status}, {@code stop}, {@code pause}, ...), which
 * needs only to find the daemon: when the file is broken or gone, the command warns about it and
 * falls back to the few settings that can still be read from it (where the daemon lives, who it
 * runs as, how long a stop takes), else to the defaults, so that a daemon whose file was edited
 * badly can still be stopped. Not thread-safe; one use per command.
 */
final class ControlConfig {

  /** The settings a control command needs, in the order they are salvaged. */
  static final List<String> KEYS =
      List.of(
          "run_dir",
          "pid_file",
          "log_dir",
          "state_dir",
          "user",
          "group",
          "grace_timeout",
          "kill_timeout");

  private final ConfigLoader loader;
  private final PrintWriter err;

  ControlConfig(ConfigLoader loader, PrintWriter err) {
    this.loader = loader;
    this.err = err;
  }

  /**
   * The configuration, or the fallback after a warning on stderr.
   *
   * @throws ConfigException only when not even the defaults load (such as a bad {@code --set})
   */
  Config load(Path explicit, List<String> overrides) {
    try {
      return loader.load(explicit, overrides);
    } catch (ConfigException e) {
      Path file = loader.locate(explicit);
      err.println("jobhost: warning: " + e.getMessage());
      List<String> salvaged = salvage(file);
      err.println(
          "jobhost: warning: the configuration "
              + file
              + " does not load; finding the daemon with "
              + (salvaged.isEmpty() ? "the defaults" : salvaged + " from it and the defaults")
              + " (fix the file before the next start or reload)");
      err.flush();
      List<String> withSalvage = new ArrayList<>(salvaged);
      withSalvage.addAll(overrides);
      for (List<String> attempt : List.of(withSalvage, overrides)) {
        try {
          Config c = withoutFile(attempt);
          if (c != null) {
            return c;
          }
        } catch (ConfigException again) {
          // fewer settings next
        }
      }
      throw e;
    }
  }

  /** The control settings the (possibly broken) file still holds, as {@code key=value}. */
  static List<String> salvage(Path file) {
    List<String> sets = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return sets;
    }
    try {
      TomlParseResult toml = Toml.parse(file);
      for (String key : KEYS) {
        Object v = toml.get(List.of(key));
        if (v instanceof String && !((String) v).isBlank() && ((String) v).indexOf('\n') < 0) {
          sets.add(key + "=" + v);
        }
      }
    } catch (IOException | RuntimeException | AssertionError e) {
      // nothing to salvage (an AssertionError: the TOML library's own check, where assertions are
      // on)
    }
    return sets;
  }

  /** The defaults with {@code sets}, or {@code null} when no empty file can be made for them. */
  private Config withoutFile(List<String> sets) {
    Path empty;
    try {
      empty = Files.createTempFile("jobhost-control", ".toml");
    } catch (IOException e) {
      err.println("jobhost: warning: cannot create a temporary file: " + e.getMessage());
      return null;
    }
    try {
      return loader.load(empty, sets);
    } finally {
      try {
        Files.deleteIfExists(empty);
      } catch (IOException e) {
        // a temporary file; the system cleans it up
      }
    }
  }
}
