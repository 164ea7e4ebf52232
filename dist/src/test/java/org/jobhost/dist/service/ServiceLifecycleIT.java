package org.jobhost.dist.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.Procs;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobhost start|status|stop|reload|...} against the assembled tree, as whole processes. */
class ServiceLifecycleIT {

  private static final String ROOT_OK =
      "allow_root = true\n[plugins.demo]\ncount = 0\nrate = 5\nwork = \"20ms\"\n";

  @TempDir Path tmp;
  private Sandbox box;

  @BeforeEach
  void sandbox() throws Exception {
    box = new Sandbox(tmp, ROOT_OK);
  }

  @AfterEach
  void stopEverything() {
    box.close();
  }

  @Test
  void startWaitsForReadyAndHoldsThePidLockUntilStopRemovesIt() throws Exception {
    Cli start = box.jobhost("start");

    assertThat(start.code()).as(start.all()).isZero();
    long pid = box.pid().orElseThrow();
    assertThat(start.out()).contains("jobhost started (pid " + pid + ")");
    assertThat(lockedByAnotherProcess(box.pidFile())).isTrue();
    Cli status = box.jobhost("status");
    assertThat(status.code()).isZero();
    assertThat(status.out())
        .contains("jobhost is running (pid " + pid + ")")
        .containsPattern("state +running")
        .containsPattern("workers_max +\\d")
        .containsPattern("plugins +.*demo:loaded")
        .contains("last_reload      none");

    Cli stop = box.jobhost("stop");

    assertThat(stop.code()).as(stop.all()).isZero();
    assertThat(stop.out()).contains("jobhost stopped (pid " + pid + ")");
    assertThat(box.pidFile()).doesNotExist();
    assertThat(box.dir.resolve("run/jobhost.sock")).doesNotExist();
    Cli after = box.jobhost("status");
    assertThat(after.code()).isEqualTo(3);
    assertThat(after.out()).contains("jobhost is not running");
    assertThat(Files.readString(box.dir.resolve("logs/jobhost.out")))
        .as("the JVM's own start-up warnings (JDK 17 and 25)")
        .doesNotContain("WARNING:");
  }

  @Test
  void statusJsonIsOneObjectWithNumbers() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();

    Cli status = box.jobhost("status", "--json");

    assertThat(status.code()).isZero();
    assertThat(status.out().trim())
        .startsWith("{\"state\": \"running\", \"pid\": " + box.pid().orElseThrow() + ",")
        .endsWith("}")
        .containsPattern("\"jobs_started\": \\d+");
  }

  @Test
  void runDetachedIsTheSameAsStart() throws Exception {
    Cli start = box.jobhost("run", "-d");

    assertThat(start.code()).as(start.all()).isZero();
    assertThat(start.out()).contains("jobhost started (pid " + box.pid().orElseThrow() + ")");
    assertThat(box.jobhost("stop").code()).isZero();
  }

  @Test
  void secondStartIsRefusedNamingThePidAndStartTime() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();
    long pid = box.pid().orElseThrow();

    Cli again = box.jobhost("start");

    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err())
        .containsPattern(
            "jobhost is already running \\(pid "
                + pid
                + ", started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)");
    assertThat(box.pid()).contains(pid);
  }

  @Test
  void staleFileOfADeadPidIsReportedAndTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    writePidFile(gone.pid());

    Cli dead = box.jobhost("status");
    assertThat(dead.code()).isEqualTo(1);
    assertThat(dead.out()).contains("jobhost is dead but its PID file");

    Cli start = box.jobhost("start");

    assertThat(start.code()).as(start.all()).isZero();
    assertThat(box.pid().orElseThrow()).isNotEqualTo(gone.pid());
    assertThat(Files.readString(box.log()))
        .contains("taking over the stale PID file " + box.pidFile() + ": pid " + gone.pid());
  }

  @Test
  void pidFileNamingALiveUnrelatedProcessDoesNotFoolIt() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "120").start();
    try {
      writePidFile(stranger.pid());

      assertThat(box.jobhost("status").code()).isEqualTo(1);
      assertThat(box.jobhost("stop").code()).isZero();
      assertThat(stranger.isAlive()).isTrue();
      Cli start = box.jobhost("start");

      assertThat(start.code()).as(start.all()).isZero();
      assertThat(Files.readString(box.log()))
          .contains(
              "pid "
                  + stranger.pid()
                  + " is alive but does not hold the lock, so it is another program");
      assertThat(box.jobhost("stop").code()).isZero();
      assertThat(stranger.isAlive()).isTrue();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void daemonKilledWithSigkillLeavesStatusDead() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();
    long pid = box.pid().orElseThrow();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> !Procs.alive(pid));

    Cli status = box.jobhost("status");
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.out()).contains("(pid " + pid + "); 'jobhost start' takes it over");
  }

  @Test
  void reloadReportsWhetherTheNewConfigurationWasAppliedOrRejected() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();

    Cli applied = box.jobhost("reload");
    assertThat(applied.code()).as(applied.all()).isZero();
    assertThat(applied.out()).contains("reload applied");

    box.write("max_workers = 0\n" + ROOT_OK, Tree.forOtherUsers().resolve("plugins"));
    Cli rejected = box.jobhost("reload");

    assertThat(rejected.code()).isEqualTo(1);
    assertThat(rejected.err())
        .contains("jobhost: reload rejected: ")
        .contains("max_workers must be between 1 and")
        .contains("(the running configuration is kept");
    box.write(ROOT_OK, Tree.forOtherUsers().resolve("plugins"));
    assertThat(box.jobhost("status").out()).containsPattern("last_reload +applied at ");
  }

  @Test
  void controlCommandsSteerTheRunningDaemon() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();

    assertThat(box.jobhost("pause").out()).contains("pause: state paused");
    assertThat(box.jobhost("status").out()).containsPattern("state +paused");
    assertThat(box.jobhost("resume").out()).contains("resume: state running");
    Cli resize = box.jobhost("resize", "3");
    assertThat(resize.code()).isZero();
    assertThat(resize.out()).containsPattern("max_workers \\d+ -> 3");
    assertThat(box.jobhost("status").out()).containsPattern("workers_max +3");
    assertThat(box.jobhost("reopen-logs").out()).contains("reopen-logs: reopened 2");
    Cli kill = box.jobhost("kill", "USR2");
    assertThat(kill.code()).isZero();
    assertThat(kill.out()).contains("sent SIGUSR2 to pid " + box.pid().orElseThrow());
    assertThat(box.jobhost("kill", "NOPE").code()).isEqualTo(2);
  }

  @Test
  void controlCommandsOnAStoppedDaemonExitSeven() throws Exception {
    for (List<String> cmd : List.of(List.of("reload"), List.of("pause"), List.of("resize", "2"))) {
      Cli r = box.jobhost(cmd.toArray(new String[0]));
      assertThat(r.code()).as(cmd.toString()).isEqualTo(7);
      assertThat(r.err()).contains("jobhost is not running");
    }
  }

  @Test
  void stopFallsBackToSignalsWhenTheControlSocketIsGone() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();
    Files.delete(box.dir.resolve("run/jobhost.sock"));

    assertThat(box.jobhost("status").out()).contains("jobhost is running");
    Cli pause = box.jobhost("pause");
    assertThat(pause.out()).contains("sent SIGTSTP to pid");
    Cli stop = box.jobhost("stop");

    assertThat(stop.code()).isZero();
    assertThat(box.pidFile()).doesNotExist();
  }

  @Test
  void stopPastItsTimeoutSaysSoAndExitsOne() throws Exception {
    Path plugins = Sandbox.oneCommandPlugins(tmp);
    box.write("allow_root = true\n", plugins);
    Files.writeString(
        box.config,
        Files.readString(box.config).replace("grace_timeout = \"2s\"", "grace_timeout = \"5s\""));
    assertThat(box.jobhost("start").code()).isZero();
    long pid = box.pid().orElseThrow();
    Sandbox.awaitSleepingChild(pid);

    Cli stop = box.jobhost("stop", "--timeout", "300ms");

    assertThat(stop.code()).isEqualTo(1);
    assertThat(stop.err())
        .contains("jobhost: pid " + pid + " still runs 300ms after TERM")
        .contains("run 'jobhost stop' again for an immediate stop, or 'jobhost kill KILL'");
    Cli again = box.jobhost("stop");
    assertThat(again.code()).as(again.all()).isZero();
  }

  @Test
  void stopReturnsOnlyWhenTheDaemonProcessIsGone() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();
    long pid = box.pid().orElseThrow();

    Cli stop = box.jobhost("stop");

    assertThat(stop.code()).as(stop.all()).isZero();
    assertThat(Procs.alive(pid)).as("pid " + pid + " after stop returned").isFalse();
  }

  @Test
  void controlCommandsWorkWithABrokenOrDeletedConfigurationFile() throws Exception {
    assertThat(box.jobhost("start").code()).isZero();
    long pid = box.pid().orElseThrow();
    Files.writeString(box.config, "max_workers = 0\nbroken = = =\n", StandardOpenOption.APPEND);

    Cli status = box.jobhost("status");
    Cli pause = box.jobhost("pause");
    Cli reload = box.jobhost("reload");

    assertThat(status.code()).as(status.all()).isZero();
    assertThat(status.out()).contains("jobhost is running (pid " + pid + ")");
    assertThat(status.err())
        .contains("jobhost: warning: ")
        .contains("the configuration " + box.config + " does not load; finding the daemon with [")
        .contains("run_dir=" + tmp.resolve("run"));
    assertThat(pause.code()).as(pause.all()).isZero();
    assertThat(pause.out()).contains("pause: state paused");
    assertThat(reload.code()).isEqualTo(1);
    assertThat(reload.err()).contains("jobhost: reload rejected: ");
    Files.delete(box.config);
    Cli stop = box.jobhost("stop", "--set", "run_dir=" + tmp.resolve("run"));
    assertThat(stop.code()).as(stop.all()).isZero();
    assertThat(stop.err()).contains("does not exist").contains("jobhost: warning: ");
    assertThat(Procs.alive(pid)).isFalse();
  }

  @Test
  void resizeBeyondTheLimitOfMaxWorkersIsAUsageError() throws Exception {
    Cli resize = box.jobhost("resize", "4097");

    assertThat(resize.code()).isEqualTo(2);
    assertThat(resize.err())
        .contains("jobhost resize: N must be at most 4096, the limit of max_workers (was 4097)");
  }

  @Test
  void startThatFailsInTheDaemonExitsOneWithItsError() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root");
    box.write("[plugins.demo]\ncount = 1\n", Tree.forOtherUsers().resolve("plugins"));

    Cli start = box.jobhost("start");

    assertThat(start.code()).isEqualTo(1);
    assertThat(start.err())
        .contains("jobhost: the daemon failed to start (exit code 1); it said:")
        .contains("refusing to run plugins as root; set user = \"jobhost\"");
    assertThat(box.pidFile()).doesNotExist();
  }

  @Test
  void startChecksItsDirectoriesFirst() throws Exception {
    Path blocker = tmp.resolve("blocker");
    Files.writeString(blocker, "a file, not a directory");
    box.write(ROOT_OK, Tree.forOtherUsers().resolve("plugins"));
    Files.writeString(
        box.config,
        Files.readString(box.config)
            .replace(
                "log_dir = \"" + tmp.resolve("logs"), "log_dir = \"" + blocker.resolve("logs")));

    Cli start = box.jobhost("start");

    assertThat(start.code()).isEqualTo(1);
    assertThat(start.err())
        .contains("jobhost: cannot start:")
        .contains("log_dir " + blocker.resolve("logs") + " cannot be created");
  }

  private void writePidFile(long pid) throws Exception {
    Files.createDirectories(box.pidFile().getParent());
    Files.writeString(box.pidFile(), pid + "\n", StandardCharsets.US_ASCII);
  }

  private static boolean lockedByAnotherProcess(Path file) throws Exception {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }
}
