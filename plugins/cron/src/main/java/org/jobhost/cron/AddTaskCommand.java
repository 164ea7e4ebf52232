package org.jobhost.cron;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.jobhost.api.Durations;
import org.jobhost.cron.worklog.Invocation;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.store.cli.JobOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jobhost tasks add NAME --schedule CRON --type TYPE ...}: validates the options into a
 * {@link Task} of origin {@code cli} and adds it unless the name is taken. Not thread-safe (one
 * command per process).
 */
@Command(name = "add", mixinStandardHelpOptions = true, description = "Add a task (origin cli).")
final class AddTaskCommand extends Invocation {

  @ParentCommand TasksCommand tasks;

  @Parameters(index = "0", paramLabel = "NAME", description = "The task's name.")
  String name;

  @Option(names = "--schedule", paramLabel = "CRON", description = "Its cron expression.")
  String schedule;

  @Option(names = "--type", paramLabel = "TYPE", description = "The job type to run.")
  String type;

  @Mixin JobOptions job;

  @Option(names = "--timezone", paramLabel = "ZONE", description = "Its time zone.")
  String timezone;

  @Option(
      names = "--overlap",
      paramLabel = "skip|queue|allow",
      defaultValue = "skip",
      description = "What a fire does while a run goes (default: ${DEFAULT-VALUE}).")
  String overlap;

  @Option(
      names = "--misfire",
      paramLabel = "fire_once|skip|fire_all",
      defaultValue = "fire_once",
      description = "Fires missed while down (default: ${DEFAULT-VALUE}).")
  String misfire;

  @Option(
      names = "--misfire-cap",
      paramLabel = "N",
      defaultValue = "" + Task.DEFAULT_MISFIRE_CAP,
      description = "At most N missed fires (default: ${DEFAULT-VALUE}).")
  int misfireCap;

  @Option(
      names = "--jitter",
      paramLabel = "D",
      defaultValue = "0s",
      description = "A random delay up to D (default: ${DEFAULT-VALUE}).")
  String jitter;

  @Option(names = "--rerun-interrupted", description = "Run again a run a crash interrupted.")
  boolean rerunInterrupted;

  @Option(names = "--disabled", description = "Add it disabled.")
  boolean disabled;

  @Override
  public Integer call() {
    Clock clock = tasks.clock();
    Store store = tasks.store();
    if (schedule == null || type == null) {
      throw usage("add needs --schedule and --type");
    }
    Map<String, String> params = job.params();
    String zoneText = timezone;
    ZoneId zone;
    try {
      zone = zoneText == null ? clock.getZone() : ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw usage(
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
              !disabled,
              null,
              duration("--timeout", job.timeout()),
              job.maxAttempts(),
              Task.Overlap.parse(overlap),
              Task.Misfire.parse(misfire),
              atLeast("--misfire-cap", misfireCap, Task.DEFAULT_MISFIRE_CAP, 1),
              Optional.ofNullable(duration("--jitter", jitter)).orElse(Duration.ZERO),
              rerunInterrupted,
              Task.Origin.CLI);
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
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
      err().printf("jobhost tasks: task %s exists; remove it first or choose another name%n", name);
      return 1;
    }
    String nextFire =
        parsed.reboot()
            ? "at the next daemon start"
            : parsed.next(now).map(n -> TasksCommand.TIME.format(n.atZone(zone))).orElse("never");
    out().println("added task " + name + " (" + schedule + "), next fire " + nextFire);
    return 0;
  }

  private Duration duration(String option, String v) {
    if (v == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(v);
      return d.isZero() ? null : d;
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
  }
}
