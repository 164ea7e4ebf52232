package org.jobhost.host.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Whether root may load code from a plugin file: only when no other user can change it. Loading a
 * jar that someone else can write is running their code as root (for the daemon started by root,
 * and for every root {@code jobhost check} or {@code jobhost plugins}). Stateless.
 */
final class PluginFileSafety {

  /** Entries looked at inside an exploded plugin directory, at most. */
  private static final int MAX_ENTRIES = 10_000;

  private PluginFileSafety() {}

  /** Whether this process runs as root (the owner of {@code /proc/self} is the effective user). */
  static boolean runningAsRoot() {
    try {
      return Files.getOwner(Path.of("/proc/self")).getName().equals("root");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Why root must not load {@code path} (a jar, a zip or an exploded plugin directory, and each
   * file in it), or {@code null} when only root can change it.
   */
  static String problem(Path path) {
    String own = problemOf(path);
    if (own != null || !Files.isDirectory(path)) {
      return own;
    }
    try (Stream<Path> all = Files.walk(path)) {
      Iterator<Path> it = all.limit(MAX_ENTRIES).iterator();
      while (it.hasNext()) {
        String p = problemOf(it.next());
        if (p != null) {
          return p;
        }
      }
    } catch (IOException | RuntimeException e) {
      return "cannot check " + path + " (" + e.getMessage() + "); it is not loaded";
    }
    return null;
  }

  private static String problemOf(Path path) {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(path, PosixFileAttributes.class);
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot check who may change " + path + " (" + e.getMessage() + "); it is not loaded";
    }
    String owner = a.owner().getName();
    if (!owner.equals("root")) {
      return path
          + " is owned by "
          + owner
          + ", and jobhost running as root loads no code another user can change; run chown"
          + " root "
          + path
          + " (or remove it)";
    }
    if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      return path
          + " is writable by group or others ("
          + PosixFilePermissions.toString(a.permissions())
          + "), and jobhost running as root loads no code another user can change; run chmod"
          + " go-w "
          + path;
    }
    return null;
  }
}
