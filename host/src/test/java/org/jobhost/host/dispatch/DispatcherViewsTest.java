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
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.RunningJob;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only view of running jobs and the operator's stop of one job. */
class DispatcherViewsTest {

  @TempDir Path home;

  private final TestClock clock = new TestClock();
  private final RecordingWaiter waiter = new RecordingWaiter();
  private final Fakes.Source source = new Fakes.Source();
  private final Fakes.Runner runner = new Fakes.Runner("t");

  private Dispatcher dispatcher(String toml, Executor executor) throws IOException {
    Config cfg = Fakes.config(home, toml);
    return new Dispatcher(
        () -> cfg,
        List.of(new Contribution<JobSource>(source, "src")),
        Map.of("t", new Contribution<JobRunner>(runner, "run")),
        null,
        new ProcessGroups(Posix.load(), new ProcTable(), null),
        JobObserver.NONE,
        clock,
        waiter,
        executor,
        () -> 0.5);
  }

  private void sleepUntilInterrupted(CountDownLatch started) {
    runner.behaviour =
        c -> {
          started.countDown();
          return Fakes.sleepUntilInterrupted();
        };
  }

  @Test
  void runningJobsShowsEachStartedJobWithItsSourceAndStartTime() throws Exception {
    ManualExecutor manual = new ManualExecutor();
    Dispatcher d = dispatcher("max_workers = 2", manual);
    source.add(Fakes.job("a", "t"), Fakes.job("b", "t"));

    d.runOnce();

    List<RunningJob> jobs = d.runningJobs();
    assertThat(jobs).extracting(j -> j.job().id()).containsExactlyInAnyOrder("a", "b");
    assertThat(jobs).allSatisfy(j -> assertThat(j.source()).isEqualTo("src"));
    assertThat(jobs).allSatisfy(j -> assertThat(j.started()).isEqualTo(clock.instant()));

    manual.runAll();
    assertThat(d.runningJobs()).isEmpty();
  }

  @Test
  void stoppingOneJobCancelsItAndLeavesTheOthersRunning() throws Exception {
    Dispatcher d = dispatcher("max_workers = 2", r -> new Thread(r).start());
    CountDownLatch started = new CountDownLatch(2);
    sleepUntilInterrupted(started);
    source.add(Fakes.job("keep", "t"), Fakes.job("stop-me", "t"));
    d.runOnce();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(d.stopJob("stop-me")).isEqualTo(1);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (source.completed.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(source.completed).containsExactly("stop-me:CANCELLED");
    assertThat(d.runningJobs()).extracting(j -> j.job().id()).containsExactly("keep");
    assertThat(source.retried).isEmpty();

    d.forceStop();
    assertThat(d.awaitDrained(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void stoppingAJobThatDoesNotRunAsksNone() throws Exception {
    Dispatcher d = dispatcher("max_workers = 1", new ManualExecutor());
    source.add(Fakes.job("a", "t"));
    d.runOnce();

    assertThat(d.stopJob("nope")).isZero();
    assertThat(d.runningJobs()).hasSize(1);
  }
}
