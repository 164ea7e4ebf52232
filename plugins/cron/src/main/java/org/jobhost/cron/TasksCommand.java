package org.jobhost.cron;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jobhost.api.Durations;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.store.cli.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
public final class TasksCommand implements PicocliCommand, Callable<Integer> {

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

  private Store store;
  private Clock clock;

  @Spec CommandSpec spec;

  /** Created by the host; nothing happens before {@link #init}. */
  public TasksCommand() {}

  @Override
  public void init(PluginContext context) {
    this.clock = context.clock();
    this.store = CronSettings.openStore(context.settings(), context);
  }

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
    cl.addSubcommand(new AddTask());
    cl.addSubcommand(new RemoveTask());
    cl.addSubcommand(new EnableTask());
    cl.addSubcommand(new DisableTask());
    cl.addSubcommand(new RunTask());
    cl.addSubcommand(new NextFires());
    return cl;
  }

  /** {@code jobhost tasks} alone: a usage error. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static int atLeast(
      CommandSpec spec, String option, Integer value, int fallback, int min) {
    if (value == null) {
      return fallback;
    }
    if (value < min) {
      throw usage(spec, option + " must be at least " + min + " (was " + value + ")");
    }
    return value;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tasks.")
  final class ListTasks implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      return list(json, spec.commandLine().getOut());
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a task (origin cli).")
  final class AddTask implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The task's name.")
    String name;

    @Option(names = "--schedule", paramLabel = "CRON", description = "Its cron expression.")
    String schedule;

    @Option(names = "--type", paramLabel = "TYPE", description = "The job type to run.")
    String type;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A job parameter.")
    List<String> params = new ArrayList<>();

    @Option(names = "--timezone", paramLabel = "ZONE", description = "Its time zone.")
    String timezone;

    @Option(names = "--timeout", paramLabel = "D", description = "The job's time limit.")
    String timeout;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts per fire.")
    Integer maxAttempts;

    @Option(names = "--overlap", paramLabel = "skip|queue|allow", description = "When a run goes.")
    String overlap;

    @Option(
        names = "--misfire",
        paramLabel = "fire_once|skip|fire_all",
        description = "Fires missed while down.")
    String misfire;

    @Option(names = "--misfire-cap", paramLabel = "N", description = "At most N missed fires.")
    Integer misfireCap;

    @Option(names = "--jitter", paramLabel = "D", description = "A random delay up to D.")
    String jitter;

    @Option(names = "--rerun-interrupted", description = "Run again a run a crash interrupted.")
    boolean rerunInterrupted;

    @Option(names = "--disabled", description = "Add it disabled.")
    boolean disabled;

    @Override
    public Integer call() {
      return add(this);
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a task added here.")
  final class RemoveTask implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The task.")
    String name;

    @Override
    public Integer call() {
      return remove(name, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a task.")
  final class EnableTask implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The task.")
    String name;

    @Override
    public Integer call() {
      return enable(name, true, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a task.")
  final class DisableTask implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The task.")
    String name;

    @Override
    public Integer call() {
      return enable(name, false, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Ask the daemon to run a task now.")
  final class RunTask implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The task.")
    String name;

    @Override
    public Integer call() {
      return runNow(name, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(
      name = "next",
      mixinStandardHelpOptions = true,
      description = "Preview the coming fires.")
  final class NextFires implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this task.")
    String name;

    @Option(names = "--count", paramLabel = "N", description = "How many fires (default 10).")
    Integer count;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      return next(this);
    }
  }

  private int list(boolean json, PrintWriter out) {
    List<Task> tasks = store.tasks();
    Map<String, Instant> plan = store.transaction(Store.Tx::plan);
    if (json) {
      List<Object> rows = new ArrayList<>();
      for (Task t : tasks) {
        rows.add(taskJson(t, plan.get(t.name())));
      }
      out.println(Json.write(rows));
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

  private int add(AddTask a) {
    CommandSpec spec = a.spec;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name = a.name;
    String schedule = a.schedule;
    String type = a.type;
    if (schedule == null || type == null) {
      throw usage(spec, "add needs --schedule and --type");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : a.params) {
      int eq = p.indexOf('=');
      if (eq < 1) {
        throw usage(spec, "--param takes KEY=VALUE (was \"" + p + "\")");
      }
      params.put(p.substring(0, eq), p.substring(eq + 1));
    }
    String zoneText = a.timezone;
    ZoneId zone;
    try {
      zone = zoneText == null ? clock.getZone() : ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw usage(
          spec, "--timezone \"" + zoneText + "\" is no time zone; use an id such as Europe/Berlin");
    }
    Schedule parsed;
    Task task;
    try {
      parsed = Schedule.parse(schedule, zone);
      task =
          new Task(
              name,
              schedule,
              type,
              params,
              zoneText,
              !a.disabled,
              null,
              duration(spec, "--timeout", a.timeout),
              atLeast(spec, "--max-attempts", a.maxAttempts, 0, 0),
              Task.Overlap.parse(a.overlap == null ? "skip" : a.overlap),
              Task.Misfire.parse(a.misfire == null ? "fire_once" : a.misfire),
              atLeast(spec, "--misfire-cap", a.misfireCap, Task.DEFAULT_MISFIRE_CAP, 1),
              Optional.ofNullable(duration(spec, "--jitter", a.jitter)).orElse(Duration.ZERO),
              a.rerunInterrupted,
              Task.Origin.CLI);
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw usage(spec, e.getMessage());
    }
    Instant now = clock.instant();
    boolean added =
        store.transaction(
            tx -> {
              if (tx.task(name).isPresent()) {
                return false;
              }
              tx.putTask(task, now);
              return true;
            });
    if (!added) {
      err.println(
          "jobhost tasks: task " + name + " exists; remove it first or choose another name");
      return 1;
    }
    Optional<Instant> next = parsed.next(now);
    out.println(
        "added task "
            + name
            + " ("
            + schedule
            + "), next fire "
            + (parsed.reboot()
                ? "at the next daemon start"
                : next.map(n -> TIME.format(n.atZone(zone))).orElse("never")));
    return 0;
  }

  private static Duration duration(CommandSpec spec, String option, String v) {
    if (v == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(v);
      return d.isZero() ? null : d;
    } catch (IllegalArgumentException e) {
      throw usage(spec, option + ": " + e.getMessage());
    }
  }

  private int remove(String name, PrintWriter out, PrintWriter err) {
    Optional<Task> t = store.transaction(tx -> tx.task(name));
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
    store.transaction(tx -> tx.removeTask(name));
    out.println("removed task " + name + "; its history stays");
    return 0;
  }

  private int enable(String name, boolean on, PrintWriter out, PrintWriter err) {
    if (!TaskActions.enable(store, name, on, clock.instant())) {
      return noSuchTask(name, err);
    }
    out.println((on ? "enabled" : "disabled") + " task " + name);
    return 0;
  }

  private int runNow(String name, PrintWriter out, PrintWriter err) {
    Optional<Long> id = TaskActions.runNow(store, name, clock.instant());
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

  private int next(NextFires a) {
    PrintWriter out = a.spec.commandLine().getOut();
    PrintWriter err = a.spec.commandLine().getErr();
    int count = atLeast(a.spec, "--count", a.count, 10, 1);
    String only = a.name;
    List<Task> tasks = store.tasks();
    if (only != null && tasks.stream().noneMatch(t -> t.name().equals(only))) {
      return noSuchTask(only, err);
    }
    Map<String, Instant> plan = store.transaction(Store.Tx::plan);
    Instant now = clock.instant();
    record Fire(Instant at, Task task) {}
    List<Fire> fires = new ArrayList<>();
    for (Task t : tasks) {
      if ((only != null && !t.name().equals(only)) || !t.effectiveEnabled()) {
        continue;
      }
      Schedule s;
      try {
        s = Schedule.parse(t.schedule(), zone(t));
      } catch (RuntimeException e) {
        err.println("jobhost tasks: task " + t.name() + ": " + e.getMessage());
        continue;
      }
      Instant f = plan.getOrDefault(t.name(), s.next(now).orElse(null));
      for (int i = 0; i < count && f != null; i++) {
        fires.add(new Fire(f, t));
        f = s.next(f).orElse(null);
      }
    }
    fires.sort(Comparator.comparing(Fire::at).thenComparing(f -> f.task().name()));
    List<Fire> shown = fires.subList(0, Math.min(count, fires.size()));
    if (a.json) {
      List<Object> rows = new ArrayList<>();
      for (Fire f : shown) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", f.task().name());
        m.put("fire_time", f.at().toString());
        m.put("due", Scheduler.due(f.task(), f.at()).toString());
        rows.add(m);
      }
      out.println(Json.write(rows));
      return 0;
    }
    for (Fire f : shown) {
      out.printf("%s  %s%n", TIME.format(f.at().atZone(zone(f.task()))), f.task().name());
    }
    return 0;
  }

  private ZoneId zone(Task t) {
    try {
      return t.timezone() == null ? clock.getZone() : ZoneId.of(t.timezone());
    } catch (DateTimeException e) {
      return clock.getZone();
    }
  }

  private static int noSuchTask(String name, PrintWriter err) {
    err.println("jobhost tasks: no task named " + name + "; see jobhost tasks list");
    return 1;
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
