package org.jobhost.dist.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb on this machine, by {@code dpkg} itself: install, reinstall, upgrade with a running
 * daemon, remove and purge, where the local policy allows {@code invoke-rc.d} and where it refuses
 * it. Runs only as root on Debian with no jobhost package installed; every test purges the package
 * and restores {@code /usr/sbin/policy-rc.d}. The {@code jobhost} user stays, as the package's
 * postrm leaves it by policy.
 *
 * <p>It runs past 350 lines because a {@code dpkg -i} takes tens of seconds: one installation is
 * checked for everything it must leave (owners, modes, archives, the running daemon) rather than
 * paying for an installation per check in several classes.
 */
class DebInstallIT {

  private static final Path DEB = Path.of(System.getProperty("jobhost.deb", "target/none.deb"));
  private static final Path POLICY = Path.of("/usr/sbin/policy-rc.d");
  private static final Path STATE = Path.of("/var/lib/jobhost");
  private static final Path PID_FILE = Path.of("/run/jobhost/jobhost.pid");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  /** Set once the guards passed: only then is the package this test's to purge. */
  private boolean installs;

  private Optional<byte[]> savedPolicy = Optional.empty();
  private Set<PosixFilePermission> savedMode = PosixFilePermissions.fromString("rwxr-xr-x");
  private boolean policyTouched;
  private final List<Long> daemons = new ArrayList<>();

  @BeforeEach
  void guard() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "dpkg tests need root (they install)");
    Assumptions.assumeTrue(
        Files.exists(Path.of("/etc/debian_version")),
        "dpkg tests need Debian (no /etc/debian_version)");
    Assumptions.assumeTrue(Shell.run("dpkg", "--version").code() == 0, "dpkg is not installed");
    Assumptions.assumeTrue(
        Shell.run("dpkg-query", "-W", "jobhost").code() != 0,
        "a jobhost package is installed on this machine; the tests would replace it");
    assertThat(DEB).exists();
    installs = true;
    if (Files.exists(POLICY, LinkOption.NOFOLLOW_LINKS)) {
      savedPolicy = Optional.of(Files.readAllBytes(POLICY));
      savedMode = Files.getPosixFilePermissions(POLICY);
    }
  }

  @AfterEach
  void purgeAndRestore() throws Exception {
    try {
      if (installs) {
        Cli purge = Shell.run("dpkg", "--purge", "jobhost");
        assertThat(purge.code()).as(purge.all()).isZero();
        for (long pid : daemons) {
          if (Procs.cmdline(pid).contains("/usr/share/jobhost/")) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
    } finally {
      if (policyTouched) {
        if (savedPolicy.isPresent()) {
          Files.write(POLICY, savedPolicy.get());
          Files.setPosixFilePermissions(POLICY, savedMode);
        } else {
          Files.deleteIfExists(POLICY);
        }
      }
    }
  }

  @Test
  void aPlainInstallRunsTheServiceWithNoPluginProblemAndAQueuedCommandJobRunsAsJobhost()
      throws Exception {
    policy(0);

    Cli install = Shell.run("dpkg", "-i", DEB.toString());

    assertThat(install.code()).as(install.all()).isZero();
    long pid = awaitDaemon();
    assertThat(uidName(pid)).isEqualTo("jobhost");
    JsonNode status = status();
    assertThat(status.path("state").asText()).isEqualTo("running");
    assertThat(status.path("plugin_problems").asInt(-1)).as(status.toString()).isZero();
    assertThat(status.path("plugins").toString()).contains("spool").contains("command");
    assertThat(owner(Path.of("/etc/jobhost/jobhost.toml"))).isEqualTo("root:jobhost 640");
    assertThat(owner(STATE)).isEqualTo("jobhost:jobhost 750");
    assertThat(owner(Path.of("/var/log/jobhost"))).isEqualTo("jobhost:jobhost 750");
    assertThat(owner(Path.of("/usr/share/jobhost/lib"))).isEqualTo("root:root 755");
    // The class-data archives: made by root at installation, read-only, one loaded by the daemon
    // and the other by the control commands (status, stop, ...).
    Path cds = Path.of("/var/cache/jobhost/cds");
    assertThat(owner(cds)).isEqualTo("root:root 755");
    try (Stream<Path> s = Files.list(cds)) {
      List<Path> archives = s.sorted().toList();
      assertThat(archives).hasSize(2);
      // sorted: jobhost-17-... before jobhost-cli-17-...
      Path daemon = archives.get(0);
      Path control = archives.get(1);
      assertThat(control.getFileName().toString()).startsWith("jobhost-cli-");
      assertThat(daemon.getFileName().toString()).matches("jobhost-[0-9]+-.*");
      assertThat(owner(control)).isEqualTo("root:root 444");
      assertThat(owner(daemon)).isEqualTo("root:root 444");
      assertThat(Procs.cmdline(pid))
          .contains("-XX:SharedArchiveFile=/usr/share/jobhost/var/cds/" + daemon.getFileName())
          .doesNotContain("ArchiveClassesAtExit")
          .doesNotContain("AutoCreateSharedArchive");
      Cli controlCall =
          Shell.run(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "/usr/bin/jobhost", "status");
      assertThat(controlCall.out().lines())
          .as("the status loads its classes from its archive")
          .anyMatch(l -> l.endsWith(" org.jobhost.host.Main source: shared objects file"));
      // A command that loads plugins runs on the daemon's archive, which the package made from a
      // history of the cron plugin: picocli's classes (older than Java 6: only a static archive
      // holds them) and the SQLite driver's come from it.
      Cli pluginCall =
          Shell.run(
              Map.of("JAVA_OPTS", "-Xlog:class+load=info"),
              "/usr/bin/jobhost",
              "history",
              "--limit",
              "1");
      assertThat(pluginCall.code()).as(pluginCall.all()).isZero();
      assertThat(pluginCall.out().lines())
          .anyMatch(l -> l.endsWith(" picocli.CommandLine source: shared objects file"))
          .anyMatch(l -> l.endsWith(" org.sqlite.JDBC source: shared objects file"));
    }
    try (Stream<Path> s = Files.list(Path.of("/usr/share/jobhost"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("nothing written into the package's own tree")
          .containsExactlyInAnyOrder("bin", "lib", "plugins", "conf", "var");
    }

    if (Shell.run("sh", "-c", "command -v systemd-analyze").code() == 0) {
      Cli verify = Shell.run("systemd-analyze", "verify", "/lib/systemd/system/jobhost.service");
      assertThat(verify.code()).as(verify.all()).isZero();
      assertThat(verify.all()).doesNotContain("jobhost.service:");
    }

    Path out = queueJob("whoami", "id -un");
    assertThat(Files.readString(out).trim()).isEqualTo("jobhost");
    assertThat(owner(out)).startsWith("jobhost:jobhost ");

    // The same package again: the daemon is restarted and serves as before.
    Cli again = Shell.run("dpkg", "-i", DEB.toString());
    assertThat(again.code()).as(again.all()).isZero();
    long second = awaitDaemon();
    assertThat(second).isNotEqualTo(pid);
    awaitGone(pid);
    assertThat(status().path("plugin_problems").asInt(-1)).isZero();
    assertThat(Files.readString(queueJob("again", "id -un")).trim()).isEqualTo("jobhost");

    // Remove: the daemon is stopped (prerm's 'jobhost stop' waits for it); configuration and state
    // stay.
    Cli remove = Shell.run("dpkg", "--remove", "jobhost");
    assertThat(remove.code()).as(remove.all()).isZero();
    awaitGone(second);
    assertThat(Path.of("/usr/share/jobhost")).doesNotExist();
    assertThat(Path.of("/var/cache/jobhost")).doesNotExist();
    assertThat(Path.of("/etc/jobhost/jobhost.toml")).exists();
    assertThat(STATE.resolve("whoami.out")).exists();

    // Purge: nothing of the package is left.
    Cli purge = Shell.run("dpkg", "--purge", "jobhost");
    assertThat(purge.code()).as(purge.all()).isZero();
    for (String p :
        List.of(
            "/etc/jobhost",
            "/var/lib/jobhost",
            "/var/log/jobhost",
            "/run/jobhost",
            "/etc/init.d/jobhost",
            "/etc/default/jobhost",
            "/etc/logrotate.d/jobhost",
            "/var/cache/jobhost")) {
      assertThat(Path.of(p)).as(p).doesNotExist();
    }
    try (Stream<Path> s = Files.list(Path.of("/etc/rc2.d"))) {
      assertThat(s.map(Path::toString)).noneMatch(n -> n.contains("jobhost"));
    }
    assertThat(Shell.run("dpkg-statoverride", "--list", "/etc/jobhost/jobhost.toml").code())
        .isNotZero();
  }

  @Test
  void whereThePolicyRefusesServicesTheInstallSucceedsAndSaysHowToStart() throws Exception {
    policy(101);

    Cli install = Shell.run("dpkg", "-i", DEB.toString());

    assertThat(install.code()).as(install.all()).isZero();
    assertThat(install.all()).contains("start it with 'service jobhost start'");
    assertThat(PID_FILE).doesNotExist();
    assertThat(Shell.run("/usr/bin/jobhost", "status").code()).as("not running").isEqualTo(3);
    assertThat(owner(Path.of("/etc/jobhost/jobhost.toml"))).isEqualTo("root:jobhost 640");

    // Started by hand as the message says, it runs; removal stops it even under this policy.
    Cli start = Shell.run("/etc/init.d/jobhost", "start");
    assertThat(start.code()).as(start.all()).isZero();
    long pid = awaitDaemon();
    assertThat(status().path("plugin_problems").asInt(-1)).isZero();
    Cli remove = Shell.run("dpkg", "--remove", "jobhost");
    assertThat(remove.code()).as(remove.all()).isZero();
    awaitGone(pid);
  }

  @Test
  void anUpgradeRestartsTheDaemonOnTheNewJarsAndLosesNoQueuedJob() throws Exception {
    policy(0);
    Path newer = newerVersion();
    assertThat(Shell.run("dpkg", "-i", DEB.toString()).code()).isZero();
    long old = awaitDaemon();
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      outs.add(dropJob("queued-" + i, "sleep 1; id -un"));
    }

    Cli upgrade = Shell.run("dpkg", "-i", newer.toString());

    assertThat(upgrade.code()).as(upgrade.all()).isZero();
    assertThat(Shell.run("dpkg-query", "-W", "-f", "${Version}", "jobhost").out())
        .endsWith("+upgrade");
    awaitGone(old);
    long pid = awaitDaemon();
    assertThat(pid).isNotEqualTo(old);
    assertThat(openJars(pid)).isNotEmpty().noneMatch(s -> s.endsWith("(deleted)"));
    for (Path out : outs) {
      Awaitility.await(out.toString()).atMost(WAIT).until(() -> Files.exists(out));
    }
    Awaitility.await().atMost(WAIT).until(() -> incoming().isEmpty());
    for (Path out : outs) {
      assertThat(Files.readString(out).trim()).isEqualTo("jobhost");
    }
    assertThat(status().path("plugin_problems").asInt(-1)).isZero();
  }

  /** Writes a policy-rc.d that exits {@code code} (0 allows, 101 refuses); restored after. */
  private void policy(int code) throws IOException {
    policyTouched = true;
    Files.writeString(POLICY, "#!/bin/sh\nexit " + code + "\n", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(POLICY, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The package's deb with only its version raised, built from the same tree. */
  private Path newerVersion() throws Exception {
    Path root = tmp.resolve("newer");
    Cli raw = Shell.run("dpkg-deb", "-R", DEB.toString(), root.toString());
    assertThat(raw.code()).as(raw.all()).isZero();
    Path control = root.resolve("DEBIAN/control");
    String text = Files.readString(control);
    String version = text.replaceAll("(?s).*\\nVersion: (\\S+).*", "$1");
    Files.writeString(
        control, text.replace("Version: " + version, "Version: " + version + "+upgrade"));
    Path deb = tmp.resolve("jobhost-newer.deb");
    Cli build =
        Shell.run(
            "dpkg-deb",
            "-Zgzip",
            "-z1",
            "--root-owner-group",
            "-b",
            root.toString(),
            deb.toString());
    assertThat(build.code()).as(build.all()).isZero();
    return deb;
  }

  /** The running daemon's pid, once it answers status as running with its user switched. */
  private long awaitDaemon() {
    long[] pid = new long[1];
    Awaitility.await("the jobhost daemon")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                long p = Long.parseLong(Files.readString(PID_FILE).trim());
                if (Procs.alive(p)
                    && Procs.cmdline(p).contains("/usr/share/jobhost/")
                    && "jobhost".equals(uidName(p))) {
                  pid[0] = p;
                  return true;
                }
              } catch (IOException | NumberFormatException e) {
                // not yet
              }
              return false;
            });
    daemons.add(pid[0]);
    return pid[0];
  }

  /**
   * Waits (briefly) for a daemon the maintainer scripts stopped: 'jobhost stop' returns once the
   * PID lock is free, a few milliseconds before the JVM's last exit steps.
   */
  private static void awaitGone(long pid) {
    Awaitility.await("pid " + pid + " gone")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !Procs.alive(pid));
  }

  private JsonNode status() throws Exception {
    Cli r = Shell.run("/usr/bin/jobhost", "status", "--json");
    assertThat(r.code()).as(r.all()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  /** Queues a command job as a spool file and waits for the file its command writes. */
  private Path queueJob(String name, String shell) throws Exception {
    Path out = dropJob(name, shell);
    Awaitility.await(name).atMost(WAIT).until(() -> Files.exists(out));
    return out;
  }

  /** Drops a spool job whose command writes its output to {@code <name>.out} in the state dir. */
  private Path dropJob(String name, String shell) throws Exception {
    Path incoming = STATE.resolve("spool/incoming");
    Awaitility.await("spool/incoming").atMost(WAIT).until(() -> Files.isDirectory(incoming));
    Path out = STATE.resolve(name + ".out");
    String json =
        "{\"type\": \"command\", \"params\": {\"shell\": \"("
            + shell
            + ") > "
            + out
            + ".part && mv "
            + out
            + ".part "
            + out
            + "\"}}";
    Path part = incoming.resolve("." + name + ".tmp");
    Files.writeString(part, json, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(part, incoming.resolve(name + ".json"));
    return out;
  }

  private static List<String> incoming() throws IOException {
    try (Stream<Path> s = Files.list(STATE.resolve("spool/incoming"))) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** The jar files the process holds open, as /proc shows them. */
  private static List<String> openJars(long pid) throws IOException {
    List<String> jars = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : s.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.contains(".jar")) {
            jars.add(target);
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return jars;
  }

  /**
   * The user name of the real uid of {@code pid} (from its status: /proc/<pid> itself shows root
   * once a process has switched user, as it is then not dumpable).
   */
  private String uidName(long pid) throws Exception {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    String uid = status.replaceAll("(?s).*\\nUid:\\s+(\\d+).*", "$1");
    return Shell.run("id", "-nu", uid).out().trim();
  }

  /** "user:group mode" of a path (not following a link). */
  private static String owner(Path p) throws IOException {
    PosixFileAttributes a =
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .readAttributes();
    int mode = 0;
    for (var perm : a.permissions()) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return a.owner().getName() + ":" + a.group().getName() + " " + Integer.toOctalString(mode);
  }
}
