package org.jobhost.host.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin files on disk: which entries of {@code plugins_dir} are candidates, which are refused
 * before pf4j sees them, and how a file that fails to load is described to the operator. Stateless;
 * thread-safe.
 */
final class PluginFiles {

  // Logs as the plugin set: operators see one logger for loading.
  private static final Logger log = LoggerFactory.getLogger(Plugins.class);

  private PluginFiles() {}

  static List<Path> candidates(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      if (dir != null) {
        log.warn("plugins_dir {} does not exist; no plugins are loaded from it", dir);
      }
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    Set<String> zipped = new HashSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.sorted().toList();
      for (Path p : all) {
        String n = p.getFileName().toString();
        if (n.toLowerCase(Locale.ROOT).endsWith(".zip")) {
          zipped.add(n.substring(0, n.length() - 4));
        }
      }
      for (Path p : all) {
        String n = p.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        if (n.startsWith(".")) {
          continue;
        }
        if (lower.endsWith(".jar") || lower.endsWith(".zip")) {
          out.add(p);
        } else if (Files.isDirectory(p) && !zipped.contains(n)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      log.error("cannot list plugins_dir {}: {}", dir, e.toString());
    }
    return out;
  }

  static String dirProblem(Path dir) {
    try {
      return PluginFileSafety.problem(dir.toRealPath());
    } catch (IOException e) {
      return "cannot resolve " + dir + ": " + e.getMessage();
    }
  }

  /**
   * Why a jar or zip cannot be opened as an archive, checked before pf4j sees it: pf4j logs a whole
   * stack trace for a corrupt jar (on a command's stderr), where one line says it all.
   */
  static String unreadableArchive(Path file) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!Files.isRegularFile(file) || !(lower.endsWith(".jar") || lower.endsWith(".zip"))) {
      return null;
    }
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      return zip.size() >= 0 ? null : file + " has a negative number of entries";
    } catch (IOException | RuntimeException e) {
      log.debug("plugin file {} cannot be opened", file, e);
      return describeLoadFailure(file, e);
    }
  }

  static String describeLoadFailure(Path file, Throwable e) {
    String msg = String.valueOf(e.getMessage());
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (Files.isRegularFile(file) && (lower.endsWith(".jar") || lower.endsWith(".zip"))) {
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
        zip.size();
      } catch (IOException notAZip) {
        return file
            + " is not a readable jar ("
            + notAZip.getMessage()
            + "); replace it with a complete copy";
      }
    }
    if (msg.contains("No PluginDescriptorFinder")) {
      return file
          + " has no plugin descriptor: add Plugin-Id and Plugin-Version to its META-INF/MANIFEST.MF (or a plugin.properties)";
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (msg.contains("Field 'id' cannot be empty")) {
      return file
          + " has no Plugin-Id: add Plugin-Id and Plugin-Version to its META-INF/MANIFEST.MF (or a plugin.properties)";
    }
    if (msg.contains("Field 'version' cannot be empty")) {
      return file
          + " has no Plugin-Version: add it to its META-INF/MANIFEST.MF (or plugin.properties)";
    }
    if (e instanceof org.pf4j.PluginAlreadyLoadedException || msg.contains("already loaded")) {
      return file
          + " has a Plugin-Id that another plugin already uses: "
          + msg
          + "; remove one of them";
    }
    if (root instanceof java.util.zip.ZipException
        || msg.contains("zip")
        || msg.contains("Cannot read manifest")
        || msg.contains("manifest")) {
      return file + " is not a readable jar (" + root + "); replace it with a complete copy";
    }
    return file + " cannot be loaded: " + e + (root != e ? " (caused by " + root + ")" : "");
  }
}
