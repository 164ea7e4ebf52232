package org.jobhost.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.ReloadCounts;
import org.jobhost.host.control.JobActivity;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.service.ServiceHooks;
import org.jobhost.host.signal.EventLoop;
import org.junit.jupiter.api.Test;

class ListenersTest {

  private final DaemonState state = new DaemonState(Clock.systemUTC());
  private final Host host =
      new HostControl(
          state, (w, c) -> {}, new ServiceHooks() {}, () -> {}, () -> ReloadCounts.NONE);
  private final EventLoop events = new EventLoop(Clock.systemUTC(), host);
  private final JobActivity activity = new JobActivity(Clock.systemUTC());
  private final Listeners listeners = new Listeners(events, activity);
  private final Job job = new Job("j-1", "shell", Map.of());

  /** Records every call; throws from each when told to. */
  private static final class Recording implements HostListener {
    final List<String> calls = new ArrayList<>();
    final boolean throwing;

    Recording(boolean throwing) {
      this.throwing = throwing;
    }

    private void call(String what) {
      calls.add(what);
      if (throwing) {
        throw new IllegalStateException("listener bug");
      }
    }

    @Override
    public void jobStarted(Job job) {
      call("started " + job.id());
    }

    @Override
    public void jobEnded(Job job, Outcome outcome) {
      call("ended " + job.id() + " " + outcome.kind());
    }

    @Override
    public void paused(Host host) {
      call("paused");
    }
  }

  @Test
  void aThrowingListenerDoesNotKeepTheNextFromHearingOfAJob() {
    Recording bad = new Recording(true);
    Recording good = new Recording(false);
    listeners.set(List.of(new Contribution<>(bad, "bad"), new Contribution<>(good, "good")));

    listeners.jobStarted(job);
    listeners.jobEnded(job, Outcome.succeeded());

    assertThat(bad.calls).containsExactly("started j-1", "ended j-1 SUCCEEDED");
    assertThat(good.calls).containsExactly("started j-1", "ended j-1 SUCCEEDED");
  }

  @Test
  void jobStartsAndEndsAreRecordedEvenWithoutListeners() {
    listeners.jobStarted(job);
    listeners.jobEnded(job, Outcome.failed("exit 3"));

    assertThat(activity.fields())
        .containsEntry("type.1.name", "shell")
        .containsEntry("type.1.started", "1")
        .containsEntry("type.1.failed", "1");
  }

  @Test
  void lifecycleNewsWaitsForTheEventThread() throws InterruptedException {
    Recording good = new Recording(false);
    listeners.set(List.of(new Contribution<>(good, "good")));

    listeners.tell("paused", l -> l.paused(host));

    assertThat(good.calls).isEmpty();
    assertThat(events.runOnce(Duration.ofSeconds(5))).isTrue();
    assertThat(good.calls).containsExactly("paused");
  }

  @Test
  void aReplacedListIsTheOneTold() {
    Recording first = new Recording(false);
    Recording second = new Recording(false);
    listeners.set(List.of(new Contribution<>(first, "a")));
    listeners.set(List.of(new Contribution<>(second, "b")));

    listeners.jobStarted(job);

    assertThat(first.calls).isEmpty();
    assertThat(second.calls).containsExactly("started j-1");
  }
}
