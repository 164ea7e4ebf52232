package org.jobhost.host.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Outcome;
import org.jobhost.api.Stats;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherTest {

  @TempDir Path home;

  private final TestClock clock = new TestClock();
  private final RecordingWaiter waiter = new RecordingWaiter();
  private final ManualExecutor manual = new ManualExecutor();
  private final Fakes.Source source = new Fakes.Source();
  private final Fakes.Runner runner = new Fakes.Runner("t");

  private Dispatcher dispatcher(Config cfg, Executor executor) {
    return dispatcher(
        cfg, List.of(new Contribution<JobSource>(source, "src")), JobObserver.NONE, executor);
  }

  private Dispatcher dispatcher(
      Config cfg, List<Contribution<JobSource>> sources, JobObserver observer, Executor executor) {
    return new Dispatcher(
        () -> cfg,
        sources,
        Map.of("t", new Contribution<JobRunner>(runner, "run")),
        null,
        new ProcessGroups(Posix.load(), new ProcTable(), null),
        observer,
        clock,
        waiter,
        executor,
        () -> 0.5);
  }

  private Dispatcher dispatcher(String toml) throws IOException {
    return dispatcher(Fakes.config(home, toml), manual);
  }

  @Test
  void runsAPolledJobOnTheRunnerForItsTypeAndTellsTheSource() throws Exception {
    Dispatcher d = dispatcher("max_workers = 2");
    source.add(Fakes.job("1", "t"));

    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.STARTED);
    manual.runAll();

    assertThat(runner.ran).containsExactly("1");
    assertThat(source.completed).containsExactly("1:SUCCEEDED");
    Stats s = d.stats(Duration.ZERO, Lifecycle.RUNNING);
    assertThat(s.started()).isEqualTo(1);
    assertThat(s.succeeded()).isEqualTo(1);
    assertThat(s.running()).isZero();
  }

  @Test
  void neverRunsMoreJobsThanWorkerSlots() throws Exception {
    Dispatcher d = dispatcher("max_workers = 2");
    for (int i = 1; i <= 5; i++) {
      source.add(Fakes.job(Integer.toString(i), "t"));
    }

    d.runOnce();
    assertThat(d.running()).isEqualTo(2);
    assertThat(source.polls).containsExactly(2);
    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.FULL);
    assertThat(source.polls).hasSize(1);

    manual.runAll();
    d.runOnce();
    assertThat(d.running()).isEqualTo(2);
    assertThat(source.polls).containsExactly(2, 2);
  }

  @Test
  void jobWithoutARunnerFailsNamingItsTypeAndTheSourceIsTold() throws Exception {
    source.add(Fakes.job("9", "nope"));
    List<Outcome> seen = new java.util.ArrayList<>();
    JobObserver watch =
        new JobObserver() {
          @Override
          public void jobStarted(Job job) {}

          @Override
          public void jobEnded(Job job, Outcome outcome) {
            seen.add(outcome);
          }
        };
    Config cfg = Fakes.config(home, "max_workers = 1");
    Dispatcher d =
        dispatcher(cfg, List.of(new Contribution<JobSource>(source, "src")), watch, manual);

    d.runOnce();
    manual.runAll();

    assertThat(source.completed).containsExactly("9:FAILED");
    assertThat(seen.get(0).message()).contains("no runner for job type \"nope\"").contains("[t]");
  }

  @Test
  void pausedDispatcherStartsNoJob() throws Exception {
    Dispatcher d = dispatcher("max_workers = 1");
    source.add(Fakes.job("1", "t"));
    d.pause();

    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.PAUSED);
    assertThat(source.polls).isEmpty();

    d.resume();
    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.STARTED);
  }

  @Test
  void batchDispatchWaitsForTheWholeGroup() throws Exception {
    Dispatcher d = dispatcher("max_workers = 2\ndispatch = \"batch\"");
    source.add(Fakes.job("1", "t"), Fakes.job("2", "t"), Fakes.job("3", "t"));

    d.runOnce();
    assertThat(d.running()).isEqualTo(2);
    manual.tasks.poll().run();
    assertThat(d.running()).isEqualTo(1);
    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.FULL);

    manual.runAll();
    d.runOnce();
    assertThat(runner.ran).containsExactly("1", "2");
    assertThat(d.running()).isEqualTo(1);
  }

  @Test
  void idleSleepEndsAtTheSourcesNextDueTime() throws Exception {
    Dispatcher d = dispatcher("idle_time = \"5s\"");
    source.due = clock.instant().plusMillis(200);

    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.IDLE);
    assertThat(waiter.last()).isEqualTo(Duration.ofMillis(200));

    source.due = null;
    d.runOnce();
    assertThat(waiter.last()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void resizeChangesTheNumberOfSlots() throws Exception {
    Dispatcher d = dispatcher("max_workers = 1");
    for (int i = 1; i <= 3; i++) {
      source.add(Fakes.job(Integer.toString(i), "t"));
    }
    d.resize(3);
    d.runOnce();
    assertThat(d.running()).isEqualTo(3);
  }

  @Test
  void failedJobWithAttemptsLeftIsHandedBackForRetryWithBackoff() throws Exception {
    Dispatcher d = dispatcher("[retry]\nmax_attempts = 3\nbackoff = \"2s\"\njitter = 0.0");
    source.acceptRetries = true;
    runner.behaviour = c -> Outcome.failed("boom");
    source.add(Fakes.job("1", "t"));

    d.runOnce();
    manual.runAll();

    assertThat(source.retried).containsExactly("1#1@" + clock.instant().plusSeconds(2));
    assertThat(source.completed).isEmpty();
    assertThat(d.stats(Duration.ZERO, Lifecycle.RUNNING).retried()).isEqualTo(1);
  }

  @Test
  void lastAttemptIsReportedAsFailed() throws Exception {
    Dispatcher d = dispatcher("[retry]\nmax_attempts = 2");
    source.acceptRetries = true;
    runner.behaviour = c -> Outcome.failed("boom");
    source.add(new Job("1", "t", Map.of(), null, 2, 0));

    d.runOnce();
    manual.runAll();

    assertThat(source.retried).isEmpty();
    assertThat(source.completed).containsExactly("1:FAILED");
  }

  @Test
  void sourceWithoutRetrySupportIsToldTheFailure() throws Exception {
    Dispatcher d = dispatcher("[retry]\nmax_attempts = 3");
    runner.behaviour = c -> Outcome.failed("boom");
    source.add(Fakes.job("1", "t"));

    d.runOnce();
    manual.runAll();

    assertThat(source.completed).containsExactly("1:FAILED");
  }

  @Test
  void jobPastItsTimeoutIsInterruptedAndEndsTimedOut() throws Exception {
    Dispatcher d =
        dispatcher(Fakes.config(home, "[types.t]\ntimeout = \"1s\""), r -> new Thread(r).start());
    CountDownLatch started = new CountDownLatch(1);
    runner.behaviour =
        c -> {
          started.countDown();
          return Fakes.sleepUntilInterrupted();
        };
    source.add(Fakes.job("1", "t"));

    d.runOnce();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    clock.advance(Duration.ofSeconds(2));
    d.runOnce();

    assertThat(d.awaitDrained(Duration.ofSeconds(5))).isTrue();
    assertThat(source.completed).containsExactly("1:TIMED_OUT");
  }

  @Test
  void gracefulStopLetsAJobFinishThenCancelsWhatIsLeft() throws Exception {
    Dispatcher d = dispatcher(Fakes.config(home, "max_workers = 2"), r -> new Thread(r).start());
    CountDownLatch started = new CountDownLatch(2);
    runner.behaviour =
        c -> {
          started.countDown();
          if (c.job().id().equals("quick")) {
            while (!c.stopRequested()) {
              Thread.onSpinWait();
            }
            return Outcome.succeeded();
          }
          return Fakes.sleepUntilInterrupted();
        };
    source.add(Fakes.job("quick", "t"), Fakes.job("stuck", "t"));
    d.runOnce();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    d.beginStop();
    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.STOPPING);
    d.forceStop();

    assertThat(d.awaitDrained(Duration.ofSeconds(5))).isTrue();
    assertThat(source.completed).containsExactlyInAnyOrder("quick:SUCCEEDED", "stuck:CANCELLED");
  }

  @Test
  void jobsASourceReturnsBeyondTheFreeSlotsRunLaterAndAreNotLost() throws Exception {
    JobSource greedy =
        new JobSource() {
          boolean done;

          @Override
          public List<Job> poll(int max) {
            if (done) {
              return List.of();
            }
            done = true;
            return List.of(Fakes.job("a", "t"), Fakes.job("b", "t"), Fakes.job("c", "t"));
          }
        };
    Config cfg = Fakes.config(home, "max_workers = 1");
    Dispatcher d =
        dispatcher(cfg, List.of(new Contribution<>(greedy, "greedy")), JobObserver.NONE, manual);
    for (int i = 0; i < 3; i++) {
      d.runOnce();
      manual.runAll();
    }
    assertThat(runner.ran).containsExactly("a", "b", "c");
  }

  @Test
  void aThrowingSourceDoesNotStopTheOthers() throws Exception {
    JobSource broken =
        new JobSource() {
          @Override
          public List<Job> poll(int max) {
            throw new IllegalStateException("database down");
          }
        };
    Config cfg = Fakes.config(home, "max_workers = 2");
    source.add(Fakes.job("1", "t"));
    Dispatcher d =
        dispatcher(
            cfg,
            List.of(
                new Contribution<>(broken, "broken"), new Contribution<JobSource>(source, "src")),
            JobObserver.NONE,
            manual);

    assertThat(d.runOnce()).isEqualTo(Dispatcher.Step.STARTED);
    manual.runAll();
    assertThat(source.completed).containsExactly("1:SUCCEEDED");
  }
}
