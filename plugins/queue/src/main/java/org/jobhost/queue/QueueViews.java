package org.jobhost.queue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.PluginContext;
import org.jobhost.store.Database;
import org.jobhost.store.HostRegistry;
import org.jobhost.store.HostRow;
import org.jobhost.store.JobState;
import org.jobhost.store.QueueAdmin;
import org.jobhost.store.QueuedJob;
import org.jobhost.store.StoreException;

/**
 * Offers the queue to dashboards: {@code queue} (jobs by type and state, as {@code jobhost queue
 * stats}), {@code dead-jobs} (as {@code jobhost queue dead --json}, with a {@code retry} action)
 * and {@code cluster} (the hosts on the queue's database, as {@code jobhost cluster --json}). It
 * keeps a database connection of its own, apart from the source's dispatch path, opened at the
 * first read. Thread-safe.
 */
public final class QueueViews implements HostListener {

  /** Dead jobs a read shows at most, as {@code jobhost queue dead} by default. */
  static final int DEAD_ROWS = 100;

  private QueueSettings settings;
  private Clock clock;
  private Database db;
  private QueueAdmin admin;
  private HostRegistry hosts;
  private boolean closed;

  /** Created by the host; nothing happens before {@link #init}. */
  public QueueViews() {}

  /**
   * Offers the views; the database is opened at their first read, so no dashboard costs nothing.
   */
  @Override
  public synchronized void init(PluginContext context) {
    settings = QueueSettings.parse(context.settings(), context);
    clock = context.clock();
    Host host = context.host();
    context.publishView(new Stats(this::admin));
    context.publishView(new Dead(this::admin, host));
    context.publishView(new Cluster(this::hosts));
  }

  private synchronized QueueAdmin admin() {
    open();
    return admin;
  }

  private synchronized HostRegistry hosts() {
    open();
    return hosts;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("the queue plugin is closed");
    }
    if (db == null) {
      db = Database.open(settings.database(), "queue-views", clock);
      admin = new QueueAdmin(db);
      hosts = new HostRegistry(db);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (db != null) {
      db.close();
      db = null;
      admin = null;
      hosts = null;
    }
  }

  /** A dead job as {@code jobhost queue dead --json} prints it. */
  static Map<String, Object> deadRow(QueuedJob j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("type", j.type());
    m.put("attempt", j.attempt());
    m.put("max_attempts", j.maxAttempts());
    m.put("priority", j.priority());
    m.put("unique_key", j.uniqueKey());
    m.put("last_error", j.lastError());
    m.put("params", j.params());
    return m;
  }

  /** A host as {@code jobhost cluster --json} prints it. */
  static Map<String, Object> hostRow(HostRow h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", h.name());
    m.put("pid", h.pid());
    m.put("version", h.version());
    m.put("started_at", h.startedAt().toString());
    m.put("last_heartbeat", h.lastHeartbeat().toString());
    m.put("heartbeat_age_s", h.secondsSinceHeartbeat());
    m.put("state", h.state());
    m.put("running", h.running());
    return m;
  }

  /** Jobs by type and state. */
  static final class Stats implements AdminView {
    private final Supplier<QueueAdmin> queue;

    Stats(Supplier<QueueAdmin> queue) {
      this.queue = queue;
    }

    @Override
    public String name() {
      return "queue";
    }

    @Override
    public String title() {
      return "Queue";
    }

    @Override
    public List<String> columns() {
      return List.of("type", "state", "jobs");
    }

    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      List<Map<String, Object>> out = new ArrayList<>();
      queue
          .get()
          .stats()
          .forEach(
              (type, states) ->
                  states.forEach(
                      (state, n) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("type", type);
                        m.put("state", state);
                        m.put("jobs", n);
                        out.add(m);
                      }));
      return out;
    }
  }

  /** The dead jobs, with retry. */
  static final class Dead implements AdminView {
    private final Supplier<QueueAdmin> queue;
    private final Host host;

    Dead(Supplier<QueueAdmin> queue, Host host) {
      this.queue = queue;
      this.host = host;
    }

    @Override
    public String name() {
      return "dead-jobs";
    }

    @Override
    public String title() {
      return "Dead jobs";
    }

    @Override
    public List<String> columns() {
      return List.of("id", "type", "attempt", "max_attempts", "last_error");
    }

    @Override
    public List<String> actions() {
      return List.of("retry");
    }

    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (QueuedJob j : queue.get().jobs(JobState.DEAD, DEAD_ROWS)) {
        out.add(deadRow(j));
      }
      return out;
    }

    @Override
    public String act(String action, String key) {
      if (!action.equals("retry")) {
        throw new IllegalArgumentException(
            "view dead-jobs has no action \"" + action + "\"; use retry");
      }
      long id;
      try {
        id = Long.parseLong(key);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("a queue job id is a number (was \"" + key + "\")", e);
      }
      try {
        if (!queue.get().requeue(id)) {
          throw new NoSuchElementException(
              "no dead or cancelled job " + id + "; see jobhost queue dead");
        }
      } catch (StoreException e) {
        throw new IllegalArgumentException(
            "job "
                + id
                + " cannot be queued again: "
                + e.getMessage()
                + " (a live job may hold its unique key)",
            e);
      }
      host.wake();
      return "queued job " + id + " again, from attempt 1";
    }
  }

  /** The hosts sharing the queue's database. */
  static final class Cluster implements AdminView {
    private final Supplier<HostRegistry> queue;

    Cluster(Supplier<HostRegistry> queue) {
      this.queue = queue;
    }

    @Override
    public String name() {
      return "cluster";
    }

    @Override
    public String title() {
      return "Cluster hosts";
    }

    @Override
    public List<String> columns() {
      return List.of(
          "name",
          "pid",
          "version",
          "started_at",
          "last_heartbeat",
          "heartbeat_age_s",
          "state",
          "running");
    }

    @Override
    public String key() {
      return "name";
    }

    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (HostRow h : queue.get().hosts()) {
        out.add(hostRow(h));
      }
      return out;
    }
  }
}
