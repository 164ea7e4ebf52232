package org.jobhost.dist.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jobhost.dist.service.Sandbox;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobhost started as root with {@code user = "jobhost-sec"}: what that user (every job runs as it)
 * plants in the directories it owns must never make root write, chown or signal anything else.
 */
class RootAttacksIT {

  private static final String SERVICE =
      "user = \"" + ServiceUser.NAME + "\"\n[plugins.demo]\ncount = 0\nrate = 5\nwork = \"20ms\"\n";
  private static final String VICTIM = "root's own content\n";

  private static ServiceUser user;

  @TempDir Path tmp;
  private Sandbox box;
  private Path victims;

  @BeforeAll
  static void serviceUser() throws Exception {
    Assumptions.assumeTrue(ServiceUser.root(), "needs root");
    user = ServiceUser.ensure();
  }

  @AfterAll
  static void removeServiceUser() throws Exception {
    if (user != null) {
      user.remove();
    }
  }

  @BeforeEach
  void sandbox() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    victims = Files.createDirectories(tmp.resolve("victims"));
    box = new Sandbox(tmp, SERVICE);
  }

  @AfterEach
  void stopEverything() {
    if (box != null) {
      box.close();
    }
  }

  /** A root-owned file (0644) the service user cannot write. */
  private Path victim(String name) throws Exception {
    Path v = victims.resolve(name);
    Files.writeString(v, VICTIM);
    Files.setPosixFilePermissions(v, PosixFilePermissions.fromString("rw-r--r--"));
    return v;
  }

  private static void assertUntouched(Path v) throws Exception {
    assertThat(Files.isRegularFile(v, LinkOption.NOFOLLOW_LINKS)).as(v + " is a file").isTrue();
    assertThat(Files.readString(v)).as(v + " content").isEqualTo(VICTIM);
    assertThat(Files.getAttribute(v, "unix:uid")).as(v + " owner").isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(v)))
        .as(v + " mode")
        .isEqualTo("rw-r--r--");
  }

  /** A directory of the service user, as the daemon leaves it after its first start. */
  private Path userDir(String name) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(name));
    user.own(d);
    return d;
  }

  private Path plant(Path link, Path target) throws Exception {
    Files.createSymbolicLink(link, target);
    user.own(link);
    return link;
  }

  /**
   * Plants a link of the service user at {@code link} to a new {@link #victim(String)}; returns it.
   */
  private Path plantVictim(Path link, String victim) throws Exception {
    Path v = victim(victim);
    plant(link, v);
    return v;
  }

  @Test
  void logFilesPidFileAndSocketPlantedAsSymlinksDoNotLeadRootElsewhere() throws Exception {
    Path logs = userDir("logs");
    Path run = userDir("run");
    Path log = plantVictim(logs.resolve("jobhost.log"), "log");
    Path jobs = plantVictim(logs.resolve("jobs.log"), "jobs");
    Path socket = plantVictim(run.resolve("jobhost.sock"), "socket");

    Cli start = box.jobhost("start");

    assertThat(start.code()).as(start.all()).isZero();
    long pid = box.pid().orElseThrow();
    assertThat(uidOf(pid)).isEqualTo(user.uid);
    assertThat(Files.getAttribute(logs.resolve("jobhost.out"), "unix:uid")).isEqualTo(user.uid);
    assertThat(Files.getAttribute(box.pidFile(), "unix:uid")).isEqualTo(user.uid);
    Cli stop = box.jobhost("stop");
    assertThat(stop.code()).as(stop.all()).isZero();
    for (Path v : List.of(log, jobs, socket)) {
      assertUntouched(v);
    }
  }

  @Test
  void pidFilePlantedAsASymlinkDoesNotLeadRootElsewhere() throws Exception {
    Path pid = plantVictim(userDir("run").resolve("jobhost.pid"), "pid");

    assertThat(refusedStart())
        .contains(
            "the PID file "
                + box.pidFile()
                + " is not a regular file (a link, FIFO or device); remove it");
    assertUntouched(pid);
  }

  @Test
  void outputFilePlantedAsASymlinkRefusesTheStartAndLeavesItsTargetUntouched() throws Exception {
    Path logs = userDir("logs");
    Path bashrc = plantVictim(logs.resolve("jobhost.out"), "bashrc");

    assertThat(refusedStart())
        .contains("cannot open " + logs.resolve("jobhost.out"))
        .contains("a symbolic link there is refused");
    assertThat(box.pid()).isEmpty();
    assertUntouched(bashrc);
  }

  @Test
  void rootCommandsSignalNothingWhenTheServiceUserHoldsThePidFile() throws Exception {
    Path run = userDir("run");
    Path pidFile = pidFileOfTheServiceUser();
    Process stranger = new ProcessBuilder("sleep", "300").start();
    Process holder = holdLock(pidFile);
    try {
      for (String bogus : List.of("-1", "1", Long.toString(stranger.pid()))) {
        Files.writeString(pidFile, bogus + "\n", StandardCharsets.US_ASCII);
        Files.deleteIfExists(run.resolve("jobhost.sock"));
        for (String[] command :
            List.of(
                new String[] {"stop"},
                new String[] {"kill", "USR1"},
                new String[] {"reopen-logs"},
                new String[] {"reload"})) {
          Cli r = box.jobhost(command);

          assertThat(r.code()).as(bogus + " " + List.of(command) + ": " + r.all()).isEqualTo(1);
          assertThat(r.err())
              .as(bogus + " " + List.of(command))
              .contains("refusing to signal anything: the PID file " + pidFile + " is held")
              .containsPattern("is not a jobhost daemon running as uid (\\d+ or )?" + user.uid);
        }
      }
      assertThat(stranger.isAlive()).isTrue();
      assertThat(holder.isAlive()).isTrue();
    } finally {
      stranger.destroyForcibly();
      holder.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly();
    }
  }

  @Test
  void rootCommandsSendNothingThroughASocketLinkPlantedByTheServiceUser() throws Exception {
    Path run = userDir("run");
    Path pidFile = pidFileOfTheServiceUser();
    Path rootSocket = victims.resolve("root.sock");
    try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      other.bind(UnixDomainSocketAddress.of(rootSocket));
      plant(run.resolve("jobhost.sock"), rootSocket);
      Process holder = holdLock(pidFile);
      try {
        Cli pause = box.jobhost("pause");

        assertThat(pause.code()).as(pause.all()).isEqualTo(1);
        assertThat(pause.err())
            .contains(
                "is served by user root, not by "
                    + ServiceUser.NAME
                    + "; nothing was sent (a link planted there leads elsewhere)")
            .contains("refusing to signal anything");
        other.configureBlocking(false);
        try (SocketChannel seen = other.accept()) {
          assertThat(seen).as("the connection root's command made").isNotNull();
          seen.configureBlocking(true);
          assertThat(seen.read(ByteBuffer.allocate(64)))
              .as("bytes sent to root's socket")
              .isEqualTo(-1);
        }
      } finally {
        holder.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        holder.destroyForcibly();
      }
    }
  }

  /**
   * Runs {@code jobhost start} as root, which must refuse to start (exit 1); returns what it said
   * on standard error.
   */
  private String refusedStart() {
    Cli start = box.jobhost("start");
    assertThat(start.code()).as(start.all()).isEqualTo(1);
    return start.err();
  }

  /** The sandbox's PID file, created empty and owned by the service user. */
  private Path pidFileOfTheServiceUser() throws Exception {
    Path pidFile = box.pidFile();
    Files.writeString(pidFile, "");
    user.own(pidFile);
    return pidFile;
  }

  /** A process of the service user holding an fcntl write lock on {@code file}. */
  private Process holdLock(Path file) throws Exception {
    Path out = tmp.resolve("holder.out");
    Process holder =
        user.spawn(
            out,
            "/usr/bin/python3",
            "-c",
            "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'r+')\n"
                + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                + "print('locked',flush=True)\n"
                + "time.sleep(300)\n",
            file.toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(out) && Files.readString(out).contains("locked"));
    return holder;
  }

  @Test
  void startHandsOverNoSharedPidDirectory() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Files.writeString(shared.resolve("someone-elses.pid"), "1\n");
    box.write(
        "pid_file = \"" + shared.resolve("jobhost.pid") + "\"\n" + SERVICE,
        Tree.forOtherUsers().resolve("plugins"));
    Files.writeString(
        box.config, Files.readString(box.config).replaceFirst("pid_file = \"[^\"]*\"\n", ""));

    assertThat(refusedStart())
        .contains("pid_file's directory " + shared + " is not dedicated to jobhost")
        .contains("set pid_file to a file in a directory of its own (such as " + shared);
    assertThat(Files.getAttribute(shared, "unix:uid")).isEqualTo(0);
    assertThat(Files.getAttribute(shared.resolve("someone-elses.pid"), "unix:uid")).isEqualTo(0);
  }

  @Test
  void startHandsOverNoSharedLogDirectory() throws Exception {
    Path varLog = Files.createDirectories(tmp.resolve("varlog"));
    Files.writeString(varLog.resolve("syslog"), "system log\n");
    Files.writeString(
        box.config,
        Files.readString(box.config)
            .replace("log_dir = \"" + tmp.resolve("logs") + "\"", "log_dir = \"" + varLog + "\""));

    assertThat(refusedStart())
        .contains(
            "log_dir " + varLog + " is not dedicated to jobhost (owned by uid 0, holds syslog)")
        .contains("chown that directory to " + ServiceUser.NAME + " yourself");
    assertThat(Files.getAttribute(varLog, "unix:uid")).isEqualTo(0);
    assertThat(Files.getAttribute(varLog.resolve("syslog"), "unix:uid")).isEqualTo(0);
    assertThat(varLog.resolve("jobhost.out")).doesNotExist();
  }

  @Test
  void rootPluginCommandsLeaveOnlyFilesTheDaemonCanWrite() throws Exception {
    Path var = tmp.resolve("var");

    Cli add = addTaskEverySecond("tick");

    assertThat(add.code()).as(add.all()).isZero();
    assertOwnedByTheServiceUser(var);
    Cli start = box.jobhost("start");
    assertThat(start.code()).as(start.all()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> plugin("history", "tick", "--json").out().contains("SUCCEEDED"));
    Cli again = addTaskEverySecond("tock");
    assertThat(again.code()).as(again.all()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> plugin("history", "tock", "--json").out().contains("SUCCEEDED"));
    assertThat(box.jobhost("stop").code()).isZero();
    assertOwnedByTheServiceUser(var);
    assertThat(Files.readString(box.log())).doesNotContainIgnoringCase("readonly");
  }

  /** A plugin command as root: {@code bin/jobhost --config FILE <args>}. */
  private Cli plugin(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Tree.forOtherUsers().resolve("bin").resolve("jobhost").toString());
    cmd.add("--config");
    cmd.add(box.config.toString());
    cmd.addAll(List.of(args));
    return box.run(cmd, java.util.Map.of());
  }

  /** {@code tasks add <name>}: a command task ({@code argv=true}) due every second. */
  private Cli addTaskEverySecond(String name) throws Exception {
    return plugin(
        "tasks",
        "add",
        name,
        "--schedule",
        "* * * * * *",
        "--type",
        "command",
        "--param",
        "argv=true");
  }

  private static void assertOwnedByTheServiceUser(Path dir) throws Exception {
    assertThat(dir.resolve("jobhost.db")).exists();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
            .as(p + " owner")
            .isEqualTo(user.uid);
      }
    }
  }

  private static int uidOf(long pid) throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc", Long.toString(pid)), "unix:uid");
  }
}
