package org.jobhost.host;

import java.util.List;
import java.util.function.Consumer;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.host.control.JobActivity;
import org.jobhost.host.dispatch.JobObserver;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.signal.EventLoop;

/**
 * Tells the plugins' {@link HostListener}s what the host does, each call behind a fault boundary:
 * lifecycle changes and reloads on the event thread (within its time limit), job starts and ends on
 * the thread that saw them, after recording them in the {@link JobActivity}. Thread-safe: the list
 * is volatile, replaced whole when plugins come and go.
 */
final class Listeners implements JobObserver {

  private final EventLoop events;
  private final JobActivity activity;
  private volatile List<Contribution<HostListener>> listeners = List.of();

  Listeners(EventLoop events, JobActivity activity) {
    this.events = events;
    this.activity = activity;
  }

  /** From now on, tells these. */
  void set(List<Contribution<HostListener>> now) {
    listeners = List.copyOf(now);
  }

  /** Queues {@code call} for each listener on the event thread; {@code what} names it in logs. */
  void tell(String what, Consumer<HostListener> call) {
    for (Contribution<HostListener> l : listeners) {
      events.submit(what, () -> runWithin(l, "HostListener." + what, call));
    }
  }

  /** Calls {@code call} for each listener now, on the calling (event) thread. */
  void tellNow(String what, Consumer<HostListener> call) {
    for (Contribution<HostListener> l : listeners) {
      runWithin(l, "HostListener." + what, call);
    }
  }

  private void runWithin(Contribution<HostListener> l, String what, Consumer<HostListener> call) {
    events.runWithin(
        l.pluginId(),
        what,
        () -> FaultBoundary.run(l.pluginId(), what, () -> call.accept(l.extension())));
  }

  @Override
  public void jobStarted(Job job) {
    activity.jobStarted(job);
    for (Contribution<HostListener> l : listeners) {
      FaultBoundary.run(
          l.pluginId(),
          "HostListener.jobStarted for job " + job.id(),
          () -> l.extension().jobStarted(job));
    }
  }

  @Override
  public void jobEnded(Job job, Outcome outcome) {
    activity.jobEnded(job, outcome);
    for (Contribution<HostListener> l : listeners) {
      FaultBoundary.run(
          l.pluginId(),
          "HostListener.jobEnded for job " + job.id(),
          () -> l.extension().jobEnded(job, outcome));
    }
  }
}
