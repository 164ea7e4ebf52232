package org.jobhost.cron;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.PluginContext;
import org.jobhost.cron.worklog.HistoryView;
import org.jobhost.cron.worklog.WorklogDatabase;
import org.jobhost.store.Store;
import org.jobhost.store.Task;

/**
 * Offers the task table ({@code tasks}: enable, disable, run now) and the worklog ({@code history},
 * filtered by outcome, task, type and time) to dashboards, with the fields of {@code jobhost tasks
 * list --json} and {@code jobhost history --json}.
 *
 * <p>It keeps a database connection of its own, opened at the first read, as the command line does:
 * the scheduler notices writes made through other connections only, so an enable or a run request
 * from the dashboard reaches it at its next poll (the view also wakes the dispatcher). Thread-safe.
 */
public final class CronViews implements HostListener {

  private PluginContext context;
  private Store store;
  private boolean closed;

  /** Created by the host; nothing happens before {@link #init}. */
  public CronViews() {}

  /**
   * Offers the views; the database is opened at their first read, so no dashboard costs nothing.
   */
  @Override
  public synchronized void init(PluginContext context) {
    this.context = context;
    Clock clock = context.clock();
    context.publishView(new Tasks(this::store, clock, context.host()));
    context.publishView(new HistoryView(this::store, clock));
  }

  private synchronized Store store() {
    if (closed) {
      throw new IllegalStateException("the cron plugin is closed");
    }
    if (store == null) {
      store = WorklogDatabase.open(context.settings(), context);
    }
    return store;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** The task table with next fire times. */
  static final class Tasks implements AdminView {
    private final Supplier<Store> store;
    private final Clock clock;
    private final Host host;

    Tasks(Supplier<Store> store, Clock clock, Host host) {
      this.store = store;
      this.clock = clock;
      this.host = host;
    }

    @Override
    public String name() {
      return "tasks";
    }

    @Override
    public String title() {
      return "Cron tasks";
    }

    @Override
    public String key() {
      return "name";
    }

    @Override
    public List<String> columns() {
      return List.of("name", "schedule", "timezone", "type", "enabled", "origin", "next_fire");
    }

    @Override
    public List<String> actions() {
      return List.of("enable", "disable", "run");
    }

    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      record Snapshot(List<Task> tasks, Map<String, Instant> plan) {}
      Snapshot snap = store.get().transaction(tx -> new Snapshot(tx.tasks(), tx.plan()));
      List<Map<String, Object>> out = new ArrayList<>();
      for (Task t : snap.tasks()) {
        out.add(TasksCommand.taskJson(t, snap.plan().get(t.name())));
      }
      return out;
    }

    @Override
    public String act(String action, String key) {
      Instant now = clock.instant();
      String done =
          switch (action) {
            case "enable", "disable" -> {
              if (!TaskActions.enable(store.get(), key, action.equals("enable"), now)) {
                throw noSuchTask(key);
              }
              yield action + "d task " + key;
            }
            case "run" -> {
              long id =
                  TaskActions.runNow(store.get(), key, now).orElseThrow(() -> noSuchTask(key));
              yield "requested a run of task " + key + " (request " + id + ")";
            }
            default ->
                throw new IllegalArgumentException(
                    "view tasks has no action \"" + action + "\"; use enable, disable or run");
          };
      host.wake();
      return done;
    }

    private static NoSuchElementException noSuchTask(String name) {
      return new NoSuchElementException("no task named \"" + name + "\"; see jobhost tasks list");
    }
  }
}
