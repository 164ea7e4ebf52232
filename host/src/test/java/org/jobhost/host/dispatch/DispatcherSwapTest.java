package org.jobhost.host.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin replaced while the daemon runs, as the dispatcher sees it. */
class DispatcherSwapTest {

  @TempDir Path home;

  private final TestClock clock = new TestClock();
  private final RecordingWaiter waiter = new RecordingWaiter();
  private final ManualExecutor manual = new ManualExecutor();
  private final Fakes.Source source = new Fakes.Source();
  private final Fakes.Source leaving = new Fakes.Source();
  private final Fakes.Runner oldRunner = new Fakes.Runner("t");
  private final Fakes.Runner newRunner = new Fakes.Runner("t");
  private final Contribution<JobSource> staying = new Contribution<>(source, "src");
  private final Contribution<JobSource> theirs = new Contribution<>(leaving, "old");

  private Dispatcher dispatcher() throws IOException {
    Config cfg = Fakes.config(home, "max_workers = 4");
    return new Dispatcher(
        () -> cfg,
        List.of(staying, theirs),
        Map.of("t", new Contribution<JobRunner>(oldRunner, "old")),
        null,
        new ProcessGroups(Posix.load(), new ProcTable(), null),
        JobObserver.NONE,
        clock,
        waiter,
        manual,
        () -> 0.5);
  }

  @Test
  void jobsOfAHeldTypeWaitAndRunOnTheNewRunnerAfterTheSwap() throws Exception {
    Dispatcher d = dispatcher();
    d.hold(Set.of("t"), List.of(staying));
    source.add(Fakes.job("1", "t"), Fakes.job("2", "other"));

    d.runOnce();
    manual.runAll();

    assertThat(oldRunner.ran).isEmpty();
    assertThat(source.completed).containsExactly("2:FAILED");

    d.swap(List.of(staying), Map.of("t", new Contribution<JobRunner>(newRunner, "new")));
    d.runOnce();
    manual.runAll();

    assertThat(newRunner.ran).containsExactly("1");
    assertThat(source.completed).containsExactly("2:FAILED", "1:SUCCEEDED");
  }

  @Test
  void aLeavingPluginsSourceIsNotPolledDuringTheHold() throws Exception {
    Dispatcher d = dispatcher();
    leaving.add(Fakes.job("9", "t"));

    d.hold(Set.of("t"), List.of(staying));
    d.runOnce();

    assertThat(leaving.polls).isEmpty();
  }

  @Test
  void aRunningJobOfALeavingPluginIsAwaitedAndStoppedWhenItOverstaysAndItsSourceTold()
      throws Exception {
    Dispatcher d = dispatcher();
    oldRunner.behaviour =
        c -> {
          while (!c.stopRequested()) {
            Thread.onSpinWait();
          }
          return org.jobhost.api.Outcome.failed("stopped");
        };
    leaving.add(Fakes.job("5", "t"));
    d.runOnce();
    Thread job = new Thread(manual::runAll);
    job.start();

    boolean ended = d.awaitNone((j, src) -> src.equals("old"), Duration.ofMillis(100));
    int stopped = d.stopWhere((j, src) -> src.equals("old"));
    job.join(5000);

    assertThat(ended).isFalse();
    assertThat(stopped).isEqualTo(1);
    assertThat(d.awaitNone((j, src) -> src.equals("old"), Duration.ofSeconds(5))).isTrue();
    assertThat(leaving.completed).containsExactly("5:CANCELLED");
  }
}
