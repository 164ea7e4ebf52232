package org.jobhost.cron;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jobhost.store.RunRequest;
import org.jobhost.store.Store;
import org.jobhost.store.Task;

/**
 * The writes an operator makes to the task table, shared by {@code jobhost tasks} and the
 * dashboard's task view. Stateless.
 */
final class TaskActions {

  /**
   * Writes made through this class in this process. The scheduler looks at the tables at once when
   * it changed, instead of at its next change check: a run asked for on the dashboard starts at the
   * next poll, not up to a second later. (The CLI is another process: its writes are seen at the
   * change check.)
   */
  private static final AtomicLong LOCAL_WRITES = new AtomicLong();

  private TaskActions() {}

  /** How many writes this process made through this class so far. */
  static long localWrites() {
    return LOCAL_WRITES.get();
  }

  /**
   * Enables or disables a task. A task from the configuration keeps its configured value and gets
   * an override (dropped again when the wish matches the file).
   *
   * @return whether the task exists
   */
  static boolean enable(Store store, String name, boolean on, Instant now) {
    boolean found = enableIn(store, name, on, now);
    LOCAL_WRITES.incrementAndGet();
    return found;
  }

  private static boolean enableIn(Store store, String name, boolean on, Instant now) {
    return store.transaction(
        tx -> {
          Optional<Task> t = tx.task(name);
          if (t.isEmpty()) {
            return false;
          }
          Task task = t.get();
          tx.putTask(
              task.origin() == Task.Origin.CONFIG
                  ? task.withEnabledOverride(on == task.enabled() ? null : on)
                  : task.withEnabled(on),
              now);
          return true;
        });
  }

  /**
   * Asks for a run of a task now, whatever its schedule; the daemon starts it at its next poll.
   *
   * @return the request's id; empty when the task does not exist
   */
  static Optional<Long> runNow(Store store, String name, Instant now) {
    Optional<Long> id = runNowIn(store, name, now);
    LOCAL_WRITES.incrementAndGet();
    return id;
  }

  private static Optional<Long> runNowIn(Store store, String name, Instant now) {
    return store.transaction(
        tx ->
            tx.task(name).isEmpty()
                ? Optional.<Long>empty()
                : Optional.of(
                    tx.addRequest(
                        new RunRequest(
                            0, name, RunRequest.Reason.MANUAL, now, 1, now, null, now))));
  }
}
