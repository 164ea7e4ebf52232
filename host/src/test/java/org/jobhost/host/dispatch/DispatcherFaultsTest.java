package org.jobhost.host.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever goes wrong on a job's thread, the job ends with an outcome, once. */
class DispatcherFaultsTest {

  @TempDir Path home;

  private final TestClock clock = new TestClock();
  private final ManualExecutor manual = new ManualExecutor();
  private final Fakes.Source source = new Fakes.Source();
  private final Fakes.Runner runner = new Fakes.Runner("t");
  private final List<Outcome> ended = new CopyOnWriteArrayList<>();

  private Dispatcher dispatcher(
      Config cfg, ProcessGroups groups, JobObserver observer, Executor executor) {
    return new Dispatcher(
        () -> cfg,
        List.of(new Contribution<JobSource>(source, "src")),
        Map.of("t", new Contribution<JobRunner>(runner, "run")),
        null,
        groups,
        observer,
        clock,
        new RecordingWaiter(),
        executor,
        () -> 0.5);
  }

  private JobObserver recording() {
    return new JobObserver() {
      @Override
      public void jobStarted(Job job) {}

      @Override
      public void jobEnded(Job job, Outcome outcome) {
        ended.add(outcome);
      }
    };
  }

  private static ProcessGroups groups(Path record) {
    return new ProcessGroups(Posix.load(), new ProcTable(), record);
  }

  @Test
  void anErrorThrownByTheRunnerEndsTheJobFailedFreesTheSlotAndTellsTheSourceOnce()
      throws Exception {
    Dispatcher d =
        dispatcher(Fakes.config(home, "max_workers = 1"), groups(null), recording(), manual);
    runner.behaviour =
        c -> {
          throw new StackOverflowError("deep");
        };
    source.add(Fakes.job("1", "t"), Fakes.job("2", "t"));

    d.runOnce();
    manual.runAll();

    assertThat(source.completed).containsExactly("1:FAILED");
    assertThat(ended.get(0).message()).contains("StackOverflowError").contains("deep");
    assertThat(d.running()).isZero();
    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.STARTED);
  }

  @Test
  void anObserverThatThrowsAtTheStartStillGivesTheJobAnOutcome() throws Exception {
    JobObserver broken =
        new JobObserver() {
          @Override
          public void jobStarted(Job job) {
            throw new AssertionError("observer broke");
          }

          @Override
          public void jobEnded(Job job, Outcome outcome) {
            throw new IllegalStateException("and again");
          }
        };
    Dispatcher d = dispatcher(Fakes.config(home, "max_workers = 1"), groups(null), broken, manual);
    source.add(Fakes.job("1", "t"));

    d.runOnce();
    manual.runAll();

    assertThat(source.completed).containsExactly("1:FAILED");
    assertThat(d.running()).isZero();
  }

  @Test
  void aProcessGroupRecordThatCannotBeWrittenFailsTheJobNamingTheFileAndTellsTheSourceOnce()
      throws Exception {
    Path notADirectory = Files.writeString(home.resolve("state"), "a file, not a directory");
    Path record = notADirectory.resolve("process-groups");
    Dispatcher d =
        dispatcher(Fakes.config(home, "max_workers = 1"), groups(record), recording(), manual);
    runner.behaviour =
        c -> {
          try {
            Process p = c.startProcess(new ProcessBuilder("sleep", "30"));
            p.waitFor();
            return Outcome.succeeded();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } catch (InterruptedException e) {
            return Outcome.failed("interrupted");
          }
        };
    source.add(Fakes.job("1", "t"));

    d.runOnce();
    manual.runAll();

    assertThat(source.completed).containsExactly("1:FAILED");
    assertThat(ended).hasSize(1);
    assertThat(ended.get(0).message()).contains(record.toString()).contains("not started");
    assertThat(d.running()).isZero();
  }

  @Test
  void aGroupThatAppearsAfterAShortTimeoutGetsTheWholeKillTimeoutBeforeKill() throws Exception {
    ProcessGroups groups = groups(home.resolve("process-groups"));
    Config cfg = Fakes.config(home, "kill_timeout = \"5s\"\n[types.t]\ntimeout = \"1ms\"");
    Dispatcher d = dispatcher(cfg, groups, recording(), r -> new Thread(r).start());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runner.behaviour =
        c -> {
          started.countDown();
          while (true) {
            try {
              release.await();
              return Outcome.failed("released");
            } catch (InterruptedException e) {
              // a runner that is slow to react to its stop
            }
          }
        };
    source.add(Fakes.job("1", "t"));
    Process child = null;
    try {
      d.runOnce();
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofMillis(2));
      d.runOnce(); // times out: TERM to no group yet
      // The job's child was being spawned as the timeout ran out; its group registers now.
      child = groups.start(new ProcessBuilder("sleep", "60"), "1");
      clock.advance(Duration.ofMillis(6));
      d.runOnce();

      assertThat(child.waitFor(500, TimeUnit.MILLISECONDS))
          .as("KILL must wait for kill_timeout after the TERM")
          .isFalse();

      clock.advance(Duration.ofSeconds(5));
      d.runOnce();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      release.countDown();
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }
}
