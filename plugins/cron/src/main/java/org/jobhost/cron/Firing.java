package org.jobhost.cron;

import java.time.Instant;
import org.jobhost.store.Task;

/**
 * One fire of a task about to be started, queued or skipped. Immutable.
 *
 * @param task the task
 * @param fireTime the fire's time (before jitter)
 * @param next the plan's next fire once this one is done, or {@code null} when there is none
 * @param planned whether the fire comes from the plan (which then advances to {@code next}) rather
 *     than from {@code @reboot}
 * @param overlap what to do when a run of the task still goes
 */
record Firing(Task task, Instant fireTime, Instant next, boolean planned, Task.Overlap overlap) {

  /** A fire from the plan, under the task's own overlap policy. */
  static Firing planned(Task t, Instant fireTime, Instant next) {
    return new Firing(t, fireTime, next, true, t.overlap());
  }

  /** The one fire of an {@code @reboot} task, which has no plan. */
  static Firing atReboot(Task t, Instant startedAt) {
    return new Firing(t, startedAt, null, false, t.overlap());
  }

  /**
   * A replayed fire of {@code fire_all}: they queue behind each other under overlap {@code skip},
   * because the operator asked for every missed fire and skipping all but the first would defeat
   * that; {@code allow} still runs them side by side.
   */
  static Firing replayed(Task t, Instant fireTime, Instant next) {
    Task.Overlap o = t.overlap() == Task.Overlap.SKIP ? Task.Overlap.QUEUE : t.overlap();
    return new Firing(t, fireTime, next, true, o);
  }

  /** The task's name. */
  String name() {
    return task.name();
  }
}
