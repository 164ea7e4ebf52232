package org.jobhost.cron;

import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jobhost.api.Durations;
import org.jobhost.cron.worklog.DatabaseCommand;
import org.jobhost.cron.worklog.Invocation;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.store.cli.Json;
import org.jobhost.store.cli.JsonOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code jobhost tasks list|add|remove|enable|disable|run|next}: manages the task table from the
 * command line, as picocli subcommands. Works whether or not the daemon runs; a running daemon sees
 * the change on its next poll, within its {@code idle_time} (1 s by default): this process cannot
 * wake it. Not thread-safe (one command per process).
 */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description = "List, add, remove, enable, disable, run now and preview cron tasks.")
public final class TasksCommand extends DatabaseCommand {

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

  /** Created by the host; nothing happens before {@link #init}. */
  public TasksCommand() {}

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String summary() {
    return "list, add, remove, enable, disable, run now and preview cron tasks";
  }

  @Override
  public Object picocliCommand() {
    CommandLine cl = new CommandLine(this);
    cl.addSubcommand(new ListTasks());
    cl.addSubcommand(new AddTaskCommand());
    addOneTask(cl, "remove", "Remove a task added here.", this::remove);
    addOneTask(cl, "enable", "Enable a task.", (n, out, err) -> enable(n, true, out, err));
    addOneTask(cl, "disable", "Disable a task.", (n, out, err) -> enable(n, false, out, err));
    addOneTask(cl, "run", "Ask the daemon to run a task now.", this::runNow);
    cl.addSubcommand(new NextFiresCommand());
    return cl;
  }

  /** {@code jobhost tasks} alone: a usage error. */
  @Override
  public Integer call() {
    throw usage("a subcommand is required");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tasks.")
  final class ListTasks extends Invocation {
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      return list(json.isSet(), out());
    }
  }

  /** What one of the subcommands that take just a task's name does. */
  @FunctionalInterface
  private interface TaskAction {
    int run(String name, PrintWriter out, PrintWriter err);
  }

  /**
   * {@code remove}, {@code enable}, {@code disable} or {@code run}: one task, named. Its name and
   * description are set where it is added.
   */
  @Command(mixinStandardHelpOptions = true)
  static final class OneTask extends Invocation {
    private final TaskAction action;

    @Parameters(index = "0", paramLabel = "NAME", description = "The task.")
    String name;

    OneTask(TaskAction action) {
      this.action = action;
    }

    @Override
    public Integer call() {
      return action.run(name, out(), err());
    }
  }

  private static void addOneTask(
      CommandLine parent, String name, String description, TaskAction action) {
    CommandLine sub = new CommandLine(new OneTask(action));
    sub.getCommandSpec().usageMessage().description(description);
    parent.addSubcommand(name, sub);
  }

  private int list(boolean json, PrintWriter out) {
    List<Task> tasks = store().tasks();
    Map<String, Instant> plan = store().transaction(Store.Tx::plan);
    if (json) {
      out.println(Json.write(tasks.stream().map(t -> taskJson(t, plan.get(t.name()))).toList()));
      return 0;
    }
    String fmt = "%-20s %-18s %-14s %-10s %-8s %-7s %s%n";
    out.printf(fmt, "NAME", "SCHEDULE", "TIMEZONE", "TYPE", "ENABLED", "ORIGIN", "NEXT FIRE");
    for (Task t : tasks) {
      Instant next = plan.get(t.name());
      out.printf(
          fmt,
          t.name(),
          t.schedule(),
          t.timezone() == null ? "(host)" : t.timezone(),
          t.jobType(),
          t.effectiveEnabled() ? "yes" : "no",
          t.origin().configName(),
          next == null ? "-" : TIME.format(next.atZone(zone(t))));
    }
    return 0;
  }

  static Map<String, Object> taskJson(Task t, Instant next) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("schedule", t.schedule());
    m.put("timezone", t.timezone());
    m.put("type", t.jobType());
    m.put("params", t.sortedParams());
    m.put("enabled", t.effectiveEnabled());
    m.put("origin", t.origin().configName());
    m.put("timeout", t.timeout() == null ? null : Durations.format(t.timeout()));
    m.put("max_attempts", t.maxAttempts());
    m.put("overlap", t.overlap().configName());
    m.put("misfire", t.misfire().configName());
    m.put("misfire_cap", t.misfireCap());
    m.put("jitter", Durations.format(t.jitter()));
    m.put("rerun_interrupted", t.rerunInterrupted());
    m.put("next_fire", next == null ? null : next.toString());
    return m;
  }

  private int remove(String name, PrintWriter out, PrintWriter err) {
    Optional<Task> t = store().transaction(tx -> tx.task(name));
    if (t.isEmpty()) {
      return noSuchTask(name, err);
    }
    if (t.get().origin() == Task.Origin.CONFIG) {
      err.println(
          "jobhost tasks: task "
              + name
              + " comes from the configuration file; remove its [[plugins.cron.tasks]] table"
              + " there (or disable it with jobhost tasks disable "
              + name
              + ")");
      return 1;
    }
    store().transaction(tx -> tx.removeTask(name));
    out.println("removed task " + name + "; its history stays");
    return 0;
  }

  private int enable(String name, boolean on, PrintWriter out, PrintWriter err) {
    if (!TaskActions.enable(store(), name, on, clock().instant())) {
      return noSuchTask(name, err);
    }
    out.println((on ? "enabled" : "disabled") + " task " + name);
    return 0;
  }

  private int runNow(String name, PrintWriter out, PrintWriter err) {
    Optional<Long> id = TaskActions.runNow(store(), name, clock().instant());
    if (id.isEmpty()) {
      return noSuchTask(name, err);
    }
    out.println(
        "requested a run of task "
            + name
            + " (request "
            + id.get()
            + "); the daemon starts it at its next poll");
    return 0;
  }

  ZoneId zone(Task t) {
    try {
      return t.timezone() == null ? clock().getZone() : ZoneId.of(t.timezone());
    } catch (DateTimeException e) {
      return clock().getZone();
    }
  }

  static int noSuchTask(String name, PrintWriter err) {
    err.println("jobhost tasks: no task named " + name + "; see jobhost tasks list");
    return 1;
  }
}
