package org.jobhost.queue;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.CliCommand;
import org.jobhost.api.PluginContext;
import org.jobhost.store.Database;
import org.jobhost.store.JobQueue;
import org.jobhost.store.QueuedJob;
import org.jobhost.store.StoreException;
import org.jobhost.store.cli.Args;
import org.jobhost.store.cli.Json;

/**
 * {@code jobhost queue stats|dead|retry ID|--all-dead|cancel ID}: looks into and repairs the queue.
 * Not thread-safe (one command per process).
 *
 * <p>{@code stats --json} prints {@code {"TYPE": {"STATE": count}}}; {@code dead --json} an array
 * of {@code {id, type, attempt, max_attempts, priority, unique_key, last_error, params}}.
 */
public final class QueueCommand implements CliCommand {

  static final String USAGE =
      "usage: jobhost queue stats [--json] | dead [--limit N] [--json] | retry ID|--all-dead |"
          + " cancel ID";

  private Database db;
  private JobQueue queue;

  /** Created by the host; nothing happens before {@link #init}. */
  public QueueCommand() {}

  @Override
  public void init(PluginContext context) {
    QueueSettings s = QueueSettings.parse(context.settings(), context);
    db = Database.open(s.database(), "queue-cli", context.clock());
    queue = new JobQueue(db);
  }

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public String summary() {
    return "queue stats, dead jobs, retry ID|--all-dead, cancel ID";
  }

  @Override
  public int run(List<String> args, Console console) {
    PrintWriter out = console.out();
    PrintWriter err = console.err();
    try {
      Args a = Args.parse(args, Set.of("--limit"), Set.of("--json", "--all-dead"));
      if (a.positional().isEmpty()) {
        throw new Args.UsageException("a subcommand is expected");
      }
      String verb = a.positional().get(0);
      switch (verb) {
        case "stats":
          return stats(a, out);
        case "dead":
          return dead(a, out);
        case "retry":
          return retry(a, out, err);
        case "cancel":
          return cancel(a, out, err);
        default:
          throw new Args.UsageException("unknown subcommand " + verb);
      }
    } catch (Args.UsageException e) {
      err.println("jobhost queue: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
  }

  private int stats(Args a, PrintWriter out) {
    Map<String, Map<String, Long>> s = queue.stats();
    if (a.flag("--json")) {
      out.println(Json.write(s));
      return 0;
    }
    out.printf("%-20s %-10s %10s%n", "TYPE", "STATE", "JOBS");
    s.forEach(
        (type, states) ->
            states.forEach((state, n) -> out.printf("%-20s %-10s %10d%n", type, state, n)));
    return 0;
  }

  private int dead(Args a, PrintWriter out) throws Args.UsageException {
    List<QueuedJob> jobs = queue.jobs("dead", a.intValue("--limit", 100, 1));
    if (a.flag("--json")) {
      List<Object> rows = new ArrayList<>();
      for (QueuedJob j : jobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("type", j.type());
        m.put("attempt", j.attempt());
        m.put("max_attempts", j.maxAttempts());
        m.put("priority", j.priority());
        m.put("unique_key", j.uniqueKey());
        m.put("last_error", j.lastError());
        m.put("params", j.params());
        rows.add(m);
      }
      out.println(Json.write(rows));
      return 0;
    }
    out.printf("%-10s %-16s %-8s %s%n", "ID", "TYPE", "ATTEMPT", "LAST ERROR");
    for (QueuedJob j : jobs) {
      out.printf("%-10d %-16s %-8d %s%n", j.id(), j.type(), j.attempt(), j.lastError());
    }
    return 0;
  }

  private int retry(Args a, PrintWriter out, PrintWriter err) throws Args.UsageException {
    if (a.flag("--all-dead")) {
      out.println("queued " + queue.requeueAllDead() + " dead jobs again");
      return 0;
    }
    long id = id(a);
    try {
      if (!queue.requeue(id)) {
        err.println("jobhost queue: no dead or cancelled job " + id + "; see jobhost queue dead");
        return 1;
      }
    } catch (StoreException e) {
      err.println(
          "jobhost queue: job "
              + id
              + " cannot be queued again: "
              + e.getMessage()
              + " (a live job may hold its unique key)");
      return 1;
    }
    out.println("queued job " + id + " again, from attempt 1");
    return 0;
  }

  private int cancel(Args a, PrintWriter out, PrintWriter err) throws Args.UsageException {
    long id = id(a);
    if (!queue.cancel(id)) {
      err.println(
          "jobhost queue: no queued job "
              + id
              + " (a running job cannot be cancelled from here; stop it on its host)");
      return 1;
    }
    out.println("cancelled job " + id);
    return 0;
  }

  private static long id(Args a) throws Args.UsageException {
    if (a.positional().size() != 2) {
      throw new Args.UsageException("exactly one job ID is expected");
    }
    try {
      return Long.parseLong(a.positional().get(1));
    } catch (NumberFormatException e) {
      throw new Args.UsageException("job ID must be a number (was " + a.positional().get(1) + ")");
    }
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }
}
