package org.jobhost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Child processes of a TestJobContext: process groups, a host-like stop, the clean-up. */
class TestJobContextTest {

  private final TestJobContext ctx =
      TestJobContext.of(new Job("j", "command", Map.of())).withProcessGroups();

  @AfterEach
  void cleanUp() {
    ctx.destroyProcesses();
  }

  @Test
  void aChildStartedInItsOwnGroupLeadsIt() throws Exception {
    Process p = ctx.startProcess(new ProcessBuilder("sh", "-c", "ps -o pgid= -p $$"));
    assertThat(ctx.awaitProcessStarted(Duration.ofSeconds(10))).isSameAs(p);
    String pgid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pgid).isEqualTo(Long.toString(p.pid()));
  }

  @Test
  void stopNowRaisesTheFlagInterruptsTheRunnerAndTermsTheGroup() throws Exception {
    ExecutorService runnerThread = Executors.newSingleThreadExecutor();
    try {
      Future<String> runner =
          runnerThread.submit(
              () -> {
                Process p = ctx.startProcess(new ProcessBuilder("sh", "-c", "sleep 600 & wait"));
                try {
                  p.waitFor();
                  return "not interrupted";
                } catch (InterruptedException e) {
                  return p.waitFor(30, TimeUnit.SECONDS)
                      ? "interrupted, exit " + p.exitValue()
                      : "";
                }
              });
      ctx.awaitProcessStarted(Duration.ofSeconds(10));
      ctx.stopNow();
      assertThat(ctx.stopRequested()).isTrue();
      assertThat(runner.get(60, TimeUnit.SECONDS)).isEqualTo("interrupted, exit " + (128 + 15));
    } finally {
      runnerThread.shutdownNow();
    }
  }

  @Test
  void aJobAskedToStopStartsNoNewProcessAsUnderTheHost() {
    ctx.requestStop();
    assertThatThrownBy(() -> ctx.startProcess(new ProcessBuilder("true")))
        .isInstanceOf(IOException.class)
        .hasMessage("job j was asked to stop; no new process is started");
    assertThat(ctx.processes()).isEmpty();
  }

  @Test
  void aJobPastItsDeadlineOnTheClockStartsNoNewProcess() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    TestJobContext late =
        TestJobContext.of(new Job("k", "command", Map.of()), Clock.fixed(now, ZoneOffset.UTC))
            .withDeadline(now);
    assertThatThrownBy(() -> late.startProcess(new ProcessBuilder("true")))
        .hasMessageContaining("job k was asked to stop");
  }

  @Test
  void destroyProcessesKillsAChildThatLeftTheTree() throws Exception {
    // The sleeper lets go of the output, so that reading it ends when sh exits.
    Process p =
        ctx.startProcess(new ProcessBuilder("sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $!"));
    long orphan =
        Long.parseLong(
            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    ProcessHandle sleeper = ProcessHandle.of(orphan).orElseThrow();
    ctx.destroyProcesses();
    assertThat(sleeper.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
  }

  @Test
  void awaitingAProcessThatNeverStartsFailsNamingTheJob() {
    assertThatThrownBy(() -> ctx.awaitProcessStarted(Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("job j started no process");
  }

  @Test
  void aStopRightAfterTheStartReachesTheChild() throws Exception {
    // A TERM to the group sent before setsid had run found no group and missed the child (this
    // made stopNowRaisesTheFlag... wait 30 s in vain on a loaded machine).
    for (int i = 0; i < 50; i++) {
      TestJobContext c =
          TestJobContext.of(new Job("j" + i, "command", Map.of())).withProcessGroups();
      try {
        Process p = c.startProcess(new ProcessBuilder("sleep", "600"));
        c.stopNow();
        assertThat(Thread.interrupted()).as("the runner (this thread) was interrupted").isTrue();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("child %d ended by the stop", i).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + 15);
      } finally {
        c.destroyProcesses();
      }
    }
  }
}
