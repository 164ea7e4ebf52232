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
import java.util.Set;
import org.jobhost.api.CliCommand;
import org.jobhost.api.Durations;
import org.jobhost.api.PluginContext;
import org.jobhost.store.RunRequest;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.store.cli.Args;
import org.jobhost.store.cli.Json;

/**
 * {@code jobhost tasks list|add|remove|enable|disable|run|next}: manages the task table from the
 * command line. Works whether or not the daemon runs; a running daemon sees the change on its next
 * poll, within its {@code idle_time} (1 s by default): this process cannot wake it. Not thread-safe
 * (one command per process).
 */
public final class TasksCommand implements CliCommand {

  static final String USAGE =
      String.join(
          "\n",
          "usage: jobhost tasks list [--json]",
          "       jobhost tasks add NAME --schedule CRON --type TYPE [--param KEY=VALUE]...",
          "                 [--timezone ZONE] [--timeout D] [--max-attempts N]",
          "                 [--overlap skip|queue|allow] [--misfire fire_once|skip|fire_all]",
          "                 [--misfire-cap N] [--jitter D] [--rerun-interrupted] [--disabled]",
          "       jobhost tasks remove NAME",
          "       jobhost tasks enable NAME",
          "       jobhost tasks disable NAME",
          "       jobhost tasks run NAME",
          "       jobhost tasks next [NAME] [--count N] [--json]");

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

  private Store store;
  private Clock clock;

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
  public int run(List<String> args, Console console) {
    PrintWriter out = console.out();
    PrintWriter err = console.err();
    try {
      if (args.isEmpty()) {
        throw new Args.UsageException("a subcommand is required");
      }
      List<String> rest = args.subList(1, args.size());
      switch (args.get(0)) {
        case "list":
          return list(Args.parse(rest, Set.of(), Set.of("--json")), out);
        case "add":
          return add(
              Args.parse(
                  rest,
                  Set.of(
                      "--schedule",
                      "--type",
                      "--param",
                      "--timezone",
                      "--timeout",
                      "--max-attempts",
                      "--overlap",
                      "--misfire",
                      "--misfire-cap",
                      "--jitter"),
                  Set.of("--rerun-interrupted", "--disabled")),
              out,
              err);
        case "remove":
          return remove(oneName(Args.parse(rest, Set.of(), Set.of())), out, err);
        case "enable":
          return enable(oneName(Args.parse(rest, Set.of(), Set.of())), true, out, err);
        case "disable":
          return enable(oneName(Args.parse(rest, Set.of(), Set.of())), false, out, err);
        case "run":
          return runNow(oneName(Args.parse(rest, Set.of(), Set.of())), out, err);
        case "next":
          return next(Args.parse(rest, Set.of("--count"), Set.of("--json")), out, err);
        default:
          throw new Args.UsageException("unknown subcommand \"" + args.get(0) + "\"");
      }
    } catch (Args.UsageException e) {
      err.println("jobhost tasks: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static String oneName(Args a) throws Args.UsageException {
    if (a.positional().size() != 1) {
      throw new Args.UsageException("exactly one task NAME is expected");
    }
    return a.positional().get(0);
  }

  private int list(Args a, PrintWriter out) throws Args.UsageException {
    if (!a.positional().isEmpty()) {
      throw new Args.UsageException("list takes no arguments");
    }
    List<Task> tasks = store.tasks();
    Map<String, Instant> plan = store.transaction(Store.Tx::plan);
    if (a.flag("--json")) {
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

  private Map<String, Object> taskJson(Task t, Instant next) {
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

  private int add(Args a, PrintWriter out, PrintWriter err) throws Args.UsageException {
    String name = oneName(a);
    String schedule = a.value("--schedule", null);
    String type = a.value("--type", null);
    if (schedule == null || type == null) {
      throw new Args.UsageException("add needs --schedule and --type");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : a.values("--param")) {
      int eq = p.indexOf('=');
      if (eq < 1) {
        throw new Args.UsageException("--param takes KEY=VALUE (was \"" + p + "\")");
      }
      params.put(p.substring(0, eq), p.substring(eq + 1));
    }
    String zoneText = a.value("--timezone", null);
    ZoneId zone;
    try {
      zone = zoneText == null ? clock.getZone() : ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw new Args.UsageException(
          "--timezone \"" + zoneText + "\" is no time zone; use an id such as Europe/Berlin");
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
              !a.flag("--disabled"),
              null,
              duration(a, "--timeout"),
              a.intValue("--max-attempts", 0, 0),
              Task.Overlap.parse(a.value("--overlap", "skip")),
              Task.Misfire.parse(a.value("--misfire", "fire_once")),
              a.intValue("--misfire-cap", Task.DEFAULT_MISFIRE_CAP, 1),
              Optional.ofNullable(duration(a, "--jitter")).orElse(Duration.ZERO),
              a.flag("--rerun-interrupted"),
              Task.Origin.CLI);
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
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

  private static Duration duration(Args a, String option) throws Args.UsageException {
    String v = a.value(option, null);
    if (v == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(v);
      return d.isZero() ? null : d;
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(option + ": " + e.getMessage());
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
    Instant now = clock.instant();
    boolean found =
        store.transaction(
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
    if (!found) {
      return noSuchTask(name, err);
    }
    out.println((on ? "enabled" : "disabled") + " task " + name);
    return 0;
  }

  private int runNow(String name, PrintWriter out, PrintWriter err) {
    Instant now = clock.instant();
    Optional<Long> id =
        store.transaction(
            tx ->
                tx.task(name).isEmpty()
                    ? Optional.<Long>empty()
                    : Optional.of(
                        tx.addRequest(
                            new RunRequest(
                                0, name, RunRequest.Reason.MANUAL, now, 1, now, null, now))));
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

  private int next(Args a, PrintWriter out, PrintWriter err) throws Args.UsageException {
    int count = a.intValue("--count", 10, 1);
    if (a.positional().size() > 1) {
      throw new Args.UsageException("next takes at most one task NAME");
    }
    String only = a.positional().isEmpty() ? null : a.positional().get(0);
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
    if (a.flag("--json")) {
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
