package org.jobhost.queue;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import org.jobhost.store.Database;
import org.jobhost.store.JobState;
import org.jobhost.store.QueueAdmin;
import org.jobhost.store.QueuedJob;
import org.jobhost.store.StoreException;
import org.jobhost.store.cli.Json;
import org.jobhost.store.cli.JsonOption;
import org.jobhost.store.cli.RowLimit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jobhost queue stats|dead|retry ID|--all-dead|cancel ID}: looks into and repairs the queue.
 * Not thread-safe (one command per process).
 *
 * <p>{@code stats --json} prints {@code {"TYPE": {"STATE": count}}}; {@code dead --json} an array
 * of {@code {id, type, attempt, max_attempts, priority, unique_key, last_error, params}}.
 */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    description = "Look into and repair the queue: stats, dead jobs, retry, cancel.")
public final class QueueCommand implements PicocliCommand, Callable<Integer> {

  private Database db;
  private QueueAdmin queue;

  @Spec CommandSpec spec;

  /** Created by the host; nothing happens before {@link #init}. */
  public QueueCommand() {}

  @Override
  public void init(PluginContext context) {
    QueueSettings s = QueueSettings.parse(context.settings(), context);
    db = Database.open(s.database(), "queue-cli", context.clock());
    queue = new QueueAdmin(db);
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
  public Object picocliCommand() {
    CommandLine cl = new CommandLine(this);
    cl.addSubcommand(new Stats());
    cl.addSubcommand(new Dead());
    cl.addSubcommand(new Retry());
    cl.addSubcommand(new Cancel());
    return cl;
  }

  /** {@code jobhost queue} alone: a usage error. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is expected");
  }

  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Jobs by type and state.")
  final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public Integer call() {
      return stats(json, spec.commandLine().getOut());
    }
  }

  @Command(name = "dead", mixinStandardHelpOptions = true, description = "The dead jobs.")
  final class Dead implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RowLimit limit = new RowLimit(100);

    @Mixin JsonOption json;

    @Override
    public Integer call() {
      return dead(limit.value(), json.isSet(), spec.commandLine().getOut());
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Queue a dead or cancelled job again, or all dead jobs.")
  final class Retry implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The job.")
    String id;

    @Option(names = "--all-dead", description = "Every dead job.")
    boolean allDead;

    @Override
    public Integer call() {
      return retry(allDead, id, spec, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued job.")
  final class Cancel implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The job.")
    String id;

    @Override
    public Integer call() {
      return cancel(id(spec, id), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  private int stats(boolean json, PrintWriter out) {
    Map<String, Map<String, Long>> s = queue.stats();
    if (json) {
      out.println(Json.write(s));
      return 0;
    }
    out.printf("%-20s %-10s %10s%n", "TYPE", "STATE", "JOBS");
    s.forEach(
        (type, states) ->
            states.forEach((state, n) -> out.printf("%-20s %-10s %10d%n", type, state, n)));
    return 0;
  }

  private int dead(int limit, boolean json, PrintWriter out) {
    List<QueuedJob> jobs = queue.jobs(JobState.DEAD, limit);
    if (json) {
      List<Object> rows = new ArrayList<>();
      for (QueuedJob j : jobs) {
        rows.add(QueueViews.deadRow(j));
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

  private int retry(
      boolean allDead, String idText, CommandSpec spec, PrintWriter out, PrintWriter err) {
    if (allDead) {
      out.println("queued " + queue.requeueAllDead() + " dead jobs again");
      return 0;
    }
    long id = id(spec, idText);
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

  private int cancel(long id, PrintWriter out, PrintWriter err) {
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

  private static long id(CommandSpec spec, String id) {
    if (id == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "exactly one job ID is expected");
    }
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "job ID must be a number (was " + id + ")");
    }
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }
}
