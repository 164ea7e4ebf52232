package org.jobhost.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The assembled tree under test: the directory named by the system property {@code jobhost.tree}
 * (failsafe sets it to dist's {@code target/jobhost}). Thread-safe.
 */
public final class Tree {

  /** What a run leaves in a tree; not copied by {@link #forOtherUsers}. */
  private static final List<String> RUN_STATE = List.of("var", "logs", "run");

  private static Path copyForOthers;

  private Tree() {}

  /** The tree's root, with {@code bin/jobhost}; fails naming the property when there is none. */
  public static Path root() {
    String t = System.getProperty("jobhost.tree");
    if (t == null || !Files.isExecutable(Path.of(t, "bin", "jobhost"))) {
      throw new IllegalStateException(
          "system property jobhost.tree must name an assembled tree with bin/jobhost (was "
              + t
              + "); run the tests through failsafe (mvn verify), which assembles dist/ first");
    }
    return Path.of(t);
  }

  /** The launcher, {@code bin/jobhost}. */
  public static Path launcher() {
    return root().resolve("bin").resolve("jobhost");
  }

  /** The tree's {@code lib/}: the host, the plugin API and their libraries. */
  public static Path lib() {
    return root().resolve("lib");
  }

  /**
   * The tree where other users can reach it, for tests run as root that start the daemon or a
   * command as another user (a daemon that switches to its service user, {@code runuser}): the tree
   * itself when every directory above it lets others through, or when this JVM is not root;
   * otherwise a copy of it without its run state, made once per test JVM in a new directory of
   * {@code /tmp} that others may enter (a checkout below {@code /root} or {@code mktemp -d}),
   * deleted when the test JVM ends.
   */
  public static synchronized Path forOtherUsers() {
    Path root = root().toAbsolutePath();
    if (!"root".equals(System.getProperty("user.name")) || reachableByOthers(root)) {
      return root;
    }
    if (copyForOthers == null) {
      copyForOthers = copy(root);
    }
    return copyForOthers;
  }

  private static boolean reachableByOthers(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static Path copy(Path root) {
    try {
      Path parent = Files.createTempDirectory("jobhost-tree-");
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path target = parent.resolve(root.getFileName());
      try (Stream<Path> all = Files.walk(root)) {
        for (Path from : all.toList()) {
          Path rel = root.relativize(from);
          if (rel.getNameCount() > 0 && RUN_STATE.contains(rel.getName(0).toString())) {
            continue;
          }
          Path to = target.resolve(rel.toString());
          if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(to);
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
          } else {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          }
        }
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> deleteQuietly(parent), "delete-tree-copy"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the tree " + root + " for other users", e);
    }
  }

  /** Deletes the copy when the test JVM ends; what cannot be deleted stays, without a word. */
  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // left in /tmp: the machine's tmp cleaning takes it
    }
  }
}
