package org.jobhost.dist.children;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobhost.testsupport.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command jobs run as leaders of their own process groups, which the host ends as a whole. */
class ChildProcessIT {

  @TempDir Path dir;
  private HostRun run;
  private final String marker = "86400." + ProcessHandle.current().pid() + System.nanoTime() % 1000;

  @AfterEach
  void stopEverything() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void termWhileTwentyJobsIgnoreTermEndsEveryGroupWithinGracePlusKillTimeout() throws Exception {
    run = new HostRun(dir).marker(marker);
    for (int i = 0; i < 20; i++) {
      run.job(
          "c" + i,
          "command",
          0,
          "shell",
          "trap '' TERM; sleep " + marker + " & sleep " + marker + "; wait");
    }
    Process host = run.start("max_workers = 20\ngrace_timeout = \"1s\"\nkill_timeout = \"1s\"");
    await().atMost(Duration.ofSeconds(30)).until(() -> Procs.withCommandLine(marker).size() >= 40);
    long t0 = System.nanoTime();
    HostRun.kill(host.pid(), "TERM");
    // grace (1 s) + kill (1 s) is the floor; the margin absorbs a loaded CI machine (one run
    // missed a 1 s margin by 118 ms) while staying far below the defaults it must not wait for.
    assertThat(host.waitFor(2 + 8, TimeUnit.SECONDS)).as("exit within grace + kill + 8 s").isTrue();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(host.exitValue()).isZero();
    assertThat(ms).isGreaterThanOrEqualTo(2000).isLessThan(6000);
    assertThat(Procs.withCommandLine(marker)).as("no process of any job group survives").isEmpty();
    Map<String, String> o = run.outcomes();
    assertThat(o).hasSize(20);
    assertThat(o.values()).allMatch(v -> v.startsWith("CANCELLED"));
  }

  @Test
  void aTimedOutJobGroupGetsTermThenKillAndEndsTimedOut() throws Exception {
    run = new HostRun(dir).marker(marker);
    run.job(
        "t",
        "command",
        500,
        "shell",
        "trap '' TERM; sleep " + marker + " & sleep " + marker + "; wait");
    run.job("p", "probe", 4000, "action", "spawn:" + marker);
    run.toml("[types.probe]\nisolation = \"process\"\n");
    run.start("max_workers = 2\nkill_timeout = \"1s\"");
    Map<String, String> o = run.awaitOutcomes(2, Duration.ofSeconds(60));
    assertThat(o.get("t")).startsWith("TIMED_OUT");
    assertThat(o.get("p")).startsWith("TIMED_OUT");
    await().atMost(Duration.ofSeconds(3)).until(() -> Procs.withCommandLine(marker).isEmpty());
    assertThat(run.log()).containsPattern("ignored TERM.*sending KILL");
  }

  @Test
  void hundredMegabytesOfOutputAreCappedAndTheHostStaysSmall() throws Exception {
    run = new HostRun(dir);
    String big = "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo end";
    run.job("big1", "command", 0, "shell", big);
    run.job("hold", "command", 0, "argv", "sleep 1");
    run.job("big2", "command", 0, "shell", big);
    run.job("big3", "command", 0, "shell", big);
    run.start("max_workers = 1");
    run.awaitOutcomes(1, Duration.ofSeconds(60));
    // Measured after the first 100 MB went through: the heap has grown to its working size.
    long before = rss(run.host().pid());
    Map<String, String> o = run.awaitOutcomes(4, Duration.ofSeconds(120));
    long after = rss(run.host().pid());
    for (String id : new String[] {"big1", "big2", "big3"}) {
      assertThat(o.get(id)).startsWith("SUCCEEDED").contains("end");
    }
    assertThat(after - before).as("host VmRSS growth in bytes").isLessThan(16L * 1024 * 1024);
    long jobsLog = Files.size(dir.resolve("logs/jobs.log"));
    assertThat(jobsLog).isLessThan(8L * 1024 * 1024);
  }

  @Test
  void aJobsChildSeesNoFileOfTheHost() throws Exception {
    run = new HostRun(dir);
    run.job("fd", "command", 0, "shell", "ls /proc/self/fd | tr '\\n' ' '");
    run.start("max_workers = 1");
    Map<String, String> o = run.awaitOutcomes(1, Duration.ofSeconds(30));
    String out = o.get("fd").split("\t", 3)[2];
    // ls itself holds one descriptor for the directory it lists (3).
    assertThat(out.trim().split("\\s+")).containsOnly("0", "1", "2", "3");
    long hostFds;
    try (var s = Files.list(Path.of("/proc", Long.toString(run.host().pid()), "fd"))) {
      hostFds = s.count();
    }
    assertThat(hostFds).isGreaterThan(4);
  }

  @Test
  void pauseChildrenStopsRunningGroupsAndResumeContinuesThem() throws Exception {
    run = new HostRun(dir).marker(marker);
    run.job("s", "command", 0, "argv", "sleep " + marker);
    Process host = run.start("max_workers = 1\npause_children = true");
    await().atMost(Duration.ofSeconds(30)).until(() -> Procs.withCommandLine(marker).size() == 1);
    long child = Procs.withCommandLine(marker).get(0);
    // The host knows the group once it is in its record (spawn returned).
    run.awaitGroupsRecorded("+ " + child + " ");
    HostRun.kill(host.pid(), "TSTP");
    await().atMost(Duration.ofSeconds(30)).until(() -> state(child) == 'T');
    HostRun.kill(host.pid(), "CONT");
    await().atMost(Duration.ofSeconds(30)).until(() -> state(child) == 'S');
    // The hook logs after it has signalled the groups, so the child's state can change first.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(run.log())
                    .contains("pause_children: stopped")
                    .contains("pause_children: continued"));
  }

  private static char state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (java.io.IOException e) {
      return '?';
    }
  }

  private static long rss(long pid) throws java.io.IOException {
    for (String line :
        Files.readAllLines(
            Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
      }
    }
    return 0;
  }
}
