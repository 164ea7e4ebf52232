package org.jobhost.cron;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.api.Durations;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.PluginContext;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.Run;
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

  /** Rows a history read returns at most. */
  static final int HISTORY_ROWS = 100;

  /** Runs a filtered history read looks through: outcome and type are filtered in memory. */
  static final int HISTORY_SCAN = 2000;

  private static final Set<String> OUTCOMES =
      Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "INTERRUPTED", "SKIPPED");

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
    context.publishView(new History(this::store, clock));
  }

  private synchronized Store store() {
    if (closed) {
      throw new IllegalStateException("the cron plugin is closed");
    }
    if (store == null) {
      store = CronSettings.openStore(context.settings(), context);
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

  /** The worklog, newest first. */
  static final class History implements AdminView {
    private final Supplier<Store> store;
    private final Clock clock;

    History(Supplier<Store> store, Clock clock) {
      this.store = store;
      this.clock = clock;
    }

    @Override
    public String name() {
      return "history";
    }

    @Override
    public String title() {
      return "Recent history";
    }

    @Override
    public List<String> columns() {
      return List.of(
          "id",
          "task",
          "job_id",
          "source",
          "type",
          "attempt",
          "started_at",
          "duration_ms",
          "outcome",
          "exit_code",
          "message");
    }

    @Override
    public List<String> filters() {
      return List.of("outcome", "task", "type", "since");
    }

    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      String outcome = filters.get("outcome");
      if (outcome != null) {
        outcome = outcome.trim().toUpperCase(Locale.ROOT);
        if (!OUTCOMES.contains(outcome)) {
          throw new IllegalArgumentException(
              "outcome \""
                  + filters.get("outcome")
                  + "\" is none of running, succeeded, failed, timed_out, cancelled, interrupted,"
                  + " skipped");
        }
      }
      String type = filters.get("type");
      Instant since = since(filters.get("since"), clock);
      boolean inMemory = outcome != null || type != null;
      List<Run> runs =
          store
              .get()
              .history(
                  new HistoryQuery(
                      filters.get("task"), false, since, inMemory ? HISTORY_SCAN : HISTORY_ROWS));
      List<Map<String, Object>> out = new ArrayList<>();
      for (Run r : runs) {
        Map<String, Object> row = HistoryCommand.json(r);
        if ((outcome == null || outcome.equals(row.get("outcome")))
            && (type == null || type.equals(row.get("type")))) {
          out.add(row);
          if (out.size() == HISTORY_ROWS) {
            break;
          }
        }
      }
      return out;
    }
  }

  /**
   * A {@code since} filter as {@code jobhost history --since} takes it: a duration back from now
   * ({@code 2h}), a time ({@code 2024-05-01T10:00:00Z}) or a date ({@code 2024-05-01}).
   */
  static Instant since(String text, Clock clock) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      return clock.instant().minus(Durations.parse(t));
    } catch (IllegalArgumentException e) {
      // not a duration; try a time or a date
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeException e) {
      // not an instant
    }
    try {
      return LocalDate.parse(t).atStartOfDay(clock.getZone()).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "since \""
              + text
              + "\" is no duration (\"2h\"), time (\"2024-05-01T10:00:00Z\") or date"
              + " (\"2024-05-01\")",
          e);
    }
  }
}
