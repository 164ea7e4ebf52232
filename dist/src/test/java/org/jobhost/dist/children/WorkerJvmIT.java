package org.jobhost.dist.children;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.testsupport.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs of a type with isolation = "process" run in worker JVMs that may crash or be recycled. */
class WorkerJvmIT {

  @TempDir Path dir;
  private HostRun run;

  @AfterEach
  void stopEverything() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  private static final String ISOLATED = "[types.probe]\nisolation = \"process\"\n";

  /**
   * Runs {@code jobs} probe jobs of action {@code ok} in worker JVMs with these {@code [workers]}
   * settings, on {@code slots} slots; returns their outcomes once all have ended ({@code limit} at
   * most).
   */
  private Map<String, String> isolatedOkJobs(int jobs, String workers, int slots, Duration limit)
      throws IOException {
    run = new HostRun(dir).probeJobs("ok-", jobs, "ok");
    run.toml(ISOLATED).toml("[workers]\n" + workers + "\n");
    run.start("max_workers = " + slots);
    return run.awaitOutcomes(jobs, limit);
  }

  @Test
  void crashingWorkersFailTheirJobWithTheReasonAndThePoolRecovers() throws Exception {
    run = new HostRun(dir);
    run.job("exit", "probe", 0, "action", "exit:3")
        .job("oom", "probe", 0, "action", "oom")
        .job("kill", "probe", 0, "action", "kill")
        .job("after-1", "probe", 0, "action", "ok")
        .job("after-2", "probe", 0, "action", "ok")
        .toml(ISOLATED)
        .toml("[workers]\njava_opts = [\"-Xmx64m\"]\n");
    run.start("max_workers = 1");
    Map<String, String> o = run.awaitOutcomes(5, Duration.ofSeconds(60));
    assertThat(o.get("exit")).startsWith("FAILED").contains("exited with status 3");
    assertThat(o.get("oom")).startsWith("FAILED").contains("OutOfMemoryError");
    assertThat(o.get("kill")).startsWith("FAILED").contains("killed by SIGKILL");
    assertThat(o.get("after-1")).startsWith("SUCCEEDED");
    assertThat(o.get("after-2")).startsWith("SUCCEEDED");
    HostRun.kill(run.host().pid(), "TERM");
    assertThat(run.host().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(run.host().exitValue()).isZero();
  }

  @Test
  void workersThatCannotStartBackOffAndSaySo() throws Exception {
    Map<String, String> o =
        isolatedOkJobs(3, "java_opts = [\"-XX:+NoSuchJvmOption\"]", 1, Duration.ofSeconds(30));
    for (String v : o.values()) {
      assertThat(v).startsWith("FAILED").contains("no worker JVM could be started");
    }
    assertThat(run.log())
        .contains("worker JVM failed to start (1 in a row)")
        .contains("worker JVM failed to start (2 in a row)")
        .contains("backing off")
        .contains("NoSuchJvmOption");
  }

  @Test
  void workersAreRecycledWithJitterAndNoJobIsLost() throws Exception {
    // With max_jobs = 5 and 20 % jitter a worker retires after 4 or 5 jobs, each half the time:
    // 40 jobs (about 8 recycles) gave all the same count about once in 128 runs; 120 jobs (about
    // 25 recycles) make that about once in 30 million.
    Map<String, String> o = isolatedOkJobs(120, "max_jobs = 5", 2, Duration.ofSeconds(180));
    assertThat(o.values()).allMatch(v -> v.startsWith("SUCCEEDED"));
    Matcher m = Pattern.compile("recycled after (\\d+) jobs").matcher(run.log());
    java.util.Set<String> counts = new java.util.TreeSet<>();
    int recycles = 0;
    while (m.find()) {
      recycles++;
      counts.add(m.group(1));
    }
    assertThat(recycles).isGreaterThanOrEqualTo(4);
    assertThat(counts)
        .as("jitter: not every worker recycles after the same count")
        .hasSizeGreaterThan(1);
  }

  @Test
  void aKilledHostTakesItsWorkersWithItAndTheNextStartCleansUpCommandGroups() throws Exception {
    String marker = "86400." + ProcessHandle.current().pid() + "1";
    run = new HostRun(dir).marker(marker);
    run.job("w1", "probe", 0, "action", "spawn:" + marker)
        .job("w2", "probe", 0, "action", "sleep:600000")
        .job("c1", "command", 0, "shell", "sleep " + marker + " & sleep " + marker + "; wait")
        .job("c2", "command", 0, "argv", "sleep " + marker)
        .toml(ISOLATED);
    Process host = run.start("max_workers = 4\nkill_timeout = \"1s\"");
    await().atMost(Duration.ofSeconds(60)).until(() -> Procs.withCommandLine(marker).size() >= 4);
    // A group is the host's to clean up once it is in the record (spawn returned); a child can be
    // seen in /proc a moment before that.
    run.awaitGroupsRecorded(" c1\n", " c2\n");
    long workers =
        Procs.withCommandLine("WorkerMain").stream().filter(p -> isChildOf(p, host.pid())).count();
    assertThat(workers).isEqualTo(2);
    HostRun.kill(host.pid(), "KILL");
    host.waitFor();
    long killedAt = System.nanoTime();
    String config = dir.resolve("jobhost.toml").toString();
    // A worker notices its parent's death within 100 ms and kills itself; on an idle machine all
    // are gone in about a second. The bound leaves room for a loaded CI machine (the 2 s it had
    // failed there, on the unchanged tree too) and still catches workers that stay.
    await()
        .atMost(Duration.ofSeconds(6))
        .pollInterval(Duration.ofMillis(20))
        .alias("worker JVMs still alive: " + describe(config))
        .until(() -> Procs.withCommandLine(config).isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(6));
    // The command groups outlive the host; the next start ends them and says so.
    assertThat(Procs.withCommandLine(marker)).isNotEmpty();
    run.startAgainWithoutJobs();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> run.log().contains("survived the previous run"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no clean-up logged; the host said:\n" + run.log(), e);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> Procs.withCommandLine(marker).isEmpty());
    assertThat(run.log()).contains("of job=c1 survived").contains("of job=c2 survived");
  }

  private static String describe(String marker) {
    StringBuilder b = new StringBuilder();
    for (long pid : Procs.withCommandLine(marker)) {
      try {
        String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        b.append(pid)
            .append(' ')
            .append(stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 12))
            .append("; ");
      } catch (java.io.IOException e) {
        b.append(pid).append(" gone; ");
      }
    }
    return b.toString();
  }

  private static boolean isChildOf(long pid, long parent) {
    return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L)
        == parent;
  }
}
