package org.jobhost.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Tree;

/**
 * The directory of one daemon under test: its configuration file, state, logs, run directory, spool
 * and an own plugins directory (the tree's plugins linked in, plus test plugins). Immutable.
 *
 * @param dir the directory
 * @param file the configuration file
 */
public record HostDir(Path dir, Path file) {

  /**
   * Writes {@code dir/jobhost.toml}: every directory inside {@code dir}, then {@code topLevel}
   * keys, the demo source off, the spool without minimum age (each unless {@code tables} has that
   * plugin's table), then {@code tables}.
   */
  public static HostDir write(Path dir, String topLevel, String tables) {
    return write(dir, dir.resolve("var"), dir.resolve("logs"), topLevel, tables);
  }

  /** As {@link #write(Path, String, String)} with the state and log directories given. */
  public static HostDir write(Path dir, Path state, Path logs, String topLevel, String tables) {
    try {
      Path plugins = Files.createDirectories(dir.resolve("plugins"));
      try (Stream<Path> bundled = Files.list(Tree.root().resolve("plugins"))) {
        for (Path p : bundled.toList()) {
          Path link = plugins.resolve(p.getFileName());
          if (!Files.exists(link)) {
            Files.createSymbolicLink(link, p);
          }
        }
      }
      String toml =
          String.join(
              "\n",
              HostConfig.directories(dir, plugins, state, logs) + "idle_time = \"1s\"",
              "grace_timeout = \"2s\"",
              "kill_timeout = \"2s\"",
              topLevel,
              "",
              tables.contains("[plugins.demo]") ? "" : "[plugins.demo]\nenabled = false\n",
              tables.contains("[plugins.cron]")
                  ? ""
                  : "[plugins.cron]\nhost_name = \"reliability\"\n",
              tables.contains("[plugins.spool]")
                  ? ""
                  : "[plugins.spool]\ndir = \"" + dir.resolve("spool") + "\"\nmin_age = \"0s\"\n",
              tables,
              "");
      Path file = dir.resolve("jobhost.toml");
      Files.writeString(file, toml, StandardCharsets.UTF_8);
      return new HostDir(dir, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path spool() {
    return dir.resolve("spool");
  }

  public Path plugins() {
    return dir.resolve("plugins");
  }

  /** Drops a job file the documented way: written under a dot name, then renamed in. */
  public void drop(String name, String json) {
    try {
      Path incoming = Files.createDirectories(spool().resolve("incoming"));
      Path tmp = incoming.resolve("." + name + ".tmp");
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      Files.move(tmp, incoming.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The job files ({@code *.json}, not outcomes, not dot files) in a spool subdirectory. */
  public Set<String> files(String sub) {
    Path d = spool().resolve(sub);
    if (!Files.isDirectory(d)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !n.endsWith(".outcome.json") && !n.startsWith("."))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of a file in the spool, such as {@code failed/x.error}; empty when absent. */
  public String read(String relative) {
    try {
      Path f = spool().resolve(relative);
      return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
