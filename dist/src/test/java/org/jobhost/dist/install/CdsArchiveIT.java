package org.jobhost.dist.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Procs;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive: a JVM of root never loads an archive that another user can
 * write, and a daemon started as root (which switches to its service user) never writes one, so no
 * failing dump at exit slows its stop.
 */
class CdsArchiveIT {

  private static final Path TREE = Tree.forOtherUsers();

  /**
   * How a class loaded from a class-data archive is logged; the JDK's own holds no jobhost class.
   */
  private static final String SHARED = "source: shared objects file";

  @TempDir Path tmp;
  private Path base;

  /** The control commands' archive (status, stop, ...), which the trust cases copy around. */
  private Path archive;

  /** The name of the daemon's archive ({@code run}, and every command that loads plugins). */
  private Path daemonArchiveName;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    // Beside the tree, not in /tmp: a sticky world-writable directory above an archive makes it
    // untrusted, which is right, but would hide what each test changes. A tree that itself lies
    // below such a directory (a checkout in /tmp) has no archive of its own, and the tests work
    // in a directory of root's instead.
    Path near = TREE.toAbsolutePath().getParent();
    base =
        Files.createTempDirectory(
            writableOnlyByRoot(near) ? near : Path.of("/var/lib"), "jobhost-cds-it-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    Assumptions.assumeTrue(
        writableOnlyByRoot(base), base + " or a directory above it is writable by others");
    Path dir = TREE.resolve("var/cds");
    if (treeArchive(dir, "jobhost-cli-") == null || treeArchive(dir, "jobhost-") == null) {
      dir = makeArchives(base.resolve("warm-up"));
    }
    archive = treeArchive(dir, "jobhost-cli-");
    daemonArchiveName = treeArchive(dir, "jobhost-").getFileName();
    assertThat(daemonArchiveName.toString()).doesNotStartWith("jobhost-cli-");
  }

  /** The archive in {@code dir} whose name starts with {@code prefix} and a digit, or null. */
  private static Path treeArchive(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".jsa")
                    && n.startsWith(prefix)
                    && Character.isDigit(n.charAt(prefix.length()));
              })
          .findFirst()
          .orElse(null);
    }
  }

  /**
   * Makes both archives as the build and the package do ({@code bin/jobhost-cds-archives}), in
   * {@code dir}/cds, and returns that directory.
   */
  private Path makeArchives(Path dir) throws Exception {
    return archivesOf(TREE, dir.resolve("cds"));
  }

  @AfterEach
  void removeBase() throws IOException {
    if (base != null) {
      try (Stream<Path> s = Files.walk(base)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void rootLoadsAnArchiveOnlyWhenNoOtherUserCanWriteItOrAnyDirectoryAboveIt() throws Exception {
    Path trusted = dirWithArchive("trusted");
    Path foreignDir = dirWithArchive("foreign-dir");
    Files.setOwner(foreignDir, nobody());
    Path groupWritable = dirWithArchive("group-writable");
    Files.setPosixFilePermissions(groupWritable, PosixFilePermissions.fromString("rwxrwxr-x"));
    Path writableFile = dirWithArchive("writable-file");
    Files.setPosixFilePermissions(
        writableFile.resolve(archive.getFileName()), PosixFilePermissions.fromString("rw-rw-rw-"));
    Path foreignParent = base.resolve("foreign-parent");
    Files.createDirectory(foreignParent);
    Files.setOwner(foreignParent, nobody());
    Path below = dirWithArchive("foreign-parent/own");
    Path link = base.resolve("link");
    Files.createSymbolicLink(link, foreignDir);
    Path fileLink = base.resolve("file-link");
    Files.createDirectory(fileLink);
    Files.setPosixFilePermissions(fileLink, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(
        fileLink.resolve(archive.getFileName()), foreignDir.resolve(archive.getFileName()));

    assertThat(classesFromArchive(trusted)).as("positive control").isPositive();
    assertThat(classesFromArchive(foreignDir)).as("directory of another user").isZero();
    assertThat(classesFromArchive(groupWritable)).as("group-writable directory").isZero();
    assertThat(classesFromArchive(writableFile)).as("world-writable archive").isZero();
    assertThat(classesFromArchive(below)).as("below a directory of another user").isZero();
    assertThat(classesFromArchive(link)).as("a link to a directory of another user").isZero();
    assertThat(classesFromArchive(fileLink)).as("a link to an archive of another user").isZero();
  }

  @Test
  void theMadeArchivesAreStaticOnesThatHoldPicocliAndNoClassListIsLeftBehind() throws Exception {
    Path cds = makeArchives(base.resolve("made"));

    try (Stream<Path> s = Files.list(cds)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList())
          .as("the two archives and nothing else")
          .hasSize(2)
          .allMatch(n -> n.startsWith("jobhost-") && n.endsWith(".jsa"));
    }
    // A static archive holds the JDK's classes and ours in one layer: no "(top)" layer. And it
    // holds picocli's, which are older than Java 6 and which a dynamic archive leaves out.
    Cli status = logClassLoads(cds, "status");
    assertThat(status.out().lines())
        .anyMatch(l -> l.endsWith(" org.jobhost.host.Main " + SHARED))
        .noneMatch(l -> l.contains(SHARED + " (top)"));
    Cli check = logClassLoads(cds, "check");
    assertThat(check.out().lines())
        .anyMatch(l -> l.endsWith(" picocli.CommandLine " + SHARED))
        .noneMatch(l -> l.contains(SHARED + " (top)"));
  }

  @Test
  void theWarmUpLoadsNoCronPluginThatTheServiceUserCouldHaveWritten() throws Exception {
    // A tree of root's, with a cron.jar only root can write: the warm-up's history loads it, so
    // the daemon's archive holds the SQLite driver (the positive control).
    Path trusted = treeOfRoots("trusted-tree");
    Path made = archivesOf(trusted, base.resolve("trusted-cds"));
    assertThat(holdsTheSqliteDriver(made)).as("positive control").isTrue();

    // The same, with the plugins directory given to the service user, who could put any jar there.
    Path attacked = treeOfRoots("attacked-tree");
    Files.setOwner(attacked.resolve("plugins"), nobody());
    Path refused = archivesOf(attacked, base.resolve("attacked-cds"));
    assertThat(holdsTheSqliteDriver(refused))
        .as("root loaded no cron.jar from a directory of the service user's")
        .isFalse();
  }

  /**
   * A tree in a directory of root's: the launcher scripts and plugins copied, {@code lib/} a link
   * to the tested tree's.
   */
  private Path treeOfRoots(String name) throws IOException {
    Path tree = base.resolve(name);
    for (String d : List.of("bin", "plugins")) {
      Files.createDirectories(tree.resolve(d));
      try (Stream<Path> s = Files.list(TREE.resolve(d))) {
        for (Path f : s.toList()) {
          Files.copy(
              f, tree.resolve(d).resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    Files.createSymbolicLink(tree.resolve("lib"), TREE.resolve("lib").toRealPath());
    return tree;
  }

  /** Runs {@code tree}'s {@code jobhost-cds-archives} into {@code cds}, and returns {@code cds}. */
  private static Path archivesOf(Path tree, Path cds) throws IOException {
    Files.createDirectories(cds);
    Cli made =
        Shell.run(
            Map.of("JOBHOST_CDS_DIR", cds.toString()),
            tree.resolve("bin/jobhost-cds-archives").toString());
    assertThat(made.code()).as(made.all()).isZero();
    return cds;
  }

  /** Whether the daemon's archive in {@code cds} names a class of the SQLite driver. */
  private static boolean holdsTheSqliteDriver(Path cds) throws IOException {
    Path daemon = treeArchive(cds, "jobhost-");
    assertThat(daemon).as("the daemon's archive in " + cds).isNotNull();
    byte[] bytes = Files.readAllBytes(daemon);
    byte[] name = "org/sqlite/core/NativeDB".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + name.length <= bytes.length; i++) {
      for (int j = 0; j < name.length; j++) {
        if (bytes[i + j] != name[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A call of root's with the archives in {@code cds}, logging where each class came from. */
  private Cli logClassLoads(Path cds, String command) {
    return Shell.run(
        Map.of("JOBHOST_CDS_DIR", cds.toString(), "JAVA_OPTS", "-Xlog:class+load=info"),
        TREE.resolve("bin/jobhost").toString(),
        command,
        "--config",
        tmp.resolve("absent.toml").toString());
  }

  @Test
  void anArchiveTheServiceUserMadeIsNeverLoadedByRoot() throws Exception {
    Path own = base.resolve("nobody-cds");
    Files.createDirectory(own);
    Files.setOwner(own, nobody());
    Path conf = daemonConfig("");

    Cli run =
        Shell.run(
            Map.of("JOBHOST_CDS_DIR", own.toString()),
            Shell.untilIdle(TREE, conf, "runuser", "-u", "nobody", "--"));

    assertThat(run.code()).as(run.all()).isZero();
    Path made = own.resolve(daemonArchiveName);
    assertThat(made).as("the service user's own archive, made at its exit").exists();
    assertThat(Files.getOwner(made)).isEqualTo(nobody());
    assertThat(classesFromArchive(own, "check")).isZero();
    // the same archive, copied into a directory of root's, is loaded (so the zero above is the
    // owner's doing)
    Path roots = base.resolve("roots");
    Files.createDirectory(roots);
    Files.copy(made, roots.resolve(daemonArchiveName));
    assertThat(classesFromArchive(roots, "check")).as("positive control").isPositive();
  }

  @Test
  void aDaemonStartedAsRootNeverWritesAnArchiveSoItsStopIsNotSlowedByADump() throws Exception {
    Path dir = base.resolve("empty");
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = daemonConfig("user = \"nobody\"\n");
    Map<String, String> env = Map.of("JOBHOST_CDS_DIR", dir.toString());
    String bin = TREE.resolve("bin/jobhost").toString();

    Cli start = Shell.run(env, bin, "start", "--config", conf.toString());
    assertThat(start.code()).as(start.all()).isZero();
    long pid = Long.parseLong(Files.readString(tmp.resolve("run/jobhost.pid")).trim());
    try {
      String cmdline = Procs.cmdline(pid);
      assertThat(cmdline)
          .contains("org.jobhost.host.Main run")
          .doesNotContain("ArchiveClassesAtExit")
          .doesNotContain("AutoCreateSharedArchive");

      Cli stop = Shell.run(env, bin, "stop", "--config", conf.toString());
      assertThat(stop.code()).as(stop.all()).isZero();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !Procs.alive(pid));
    } finally {
      ProcessHandle.of(pid)
          .filter(h -> Procs.cmdline(pid).contains(conf.toString()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.toList()).as("nothing written into root's directory").isEmpty();
    }
  }

  /** How many classes a {@code status} JVM of root loads from the archive in {@code dir}. */
  private long classesFromArchive(Path dir) throws Exception {
    return classesFromArchive(dir, "status");
  }

  /**
   * How many classes a JVM of root running {@code command} loads from an archive in {@code dir}.
   */
  private long classesFromArchive(Path dir, String command) throws Exception {
    return logClassLoads(dir, command)
        .out()
        .lines()
        .filter(l -> l.contains(" org.jobhost.") && l.contains(SHARED))
        .count();
  }

  private Path dirWithArchive(String name) throws IOException {
    Path dir = base.resolve(name);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path copy = dir.resolve(archive.getFileName());
    Files.copy(archive, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--r--r--"));
    return dir;
  }

  /** A daemon configuration with its directories under the test's own directory. */
  private Path daemonConfig(String extra) throws IOException {
    for (String d : List.of("logs", "var", "run", "spool")) {
      Path p = tmp.resolve(d);
      Files.createDirectories(p);
      Files.setOwner(p, nobody());
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = HostConfig.write(tmp, extra, "").file();
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
    return conf;
  }

  private static UserPrincipal nobody() throws IOException {
    return Path.of("/")
        .getFileSystem()
        .getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody");
  }

  private static boolean writableOnlyByRoot(Path dir) throws IOException {
    for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
      PosixFileAttributes a =
          Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
              .readAttributes();
      if (!a.owner().getName().equals("root")
          || a.permissions().contains(PosixFilePermission.GROUP_WRITE)
          || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
        return false;
      }
    }
    return true;
  }
}
