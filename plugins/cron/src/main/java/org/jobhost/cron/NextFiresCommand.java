package org.jobhost.cron;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.cron.worklog.Invocation;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.store.cli.Json;
import org.jobhost.store.cli.JsonOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jobhost tasks next [NAME] [--count N] [--json]}: the coming fires of the enabled tasks
 * (from the plan, else from now), earliest first, with each fire's due time after jitter. Not
 * thread-safe (one command per process).
 */
@Command(name = "next", mixinStandardHelpOptions = true, description = "Preview the coming fires.")
final class NextFiresCommand extends Invocation {

  @ParentCommand TasksCommand tasks;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this task.")
  String name;

  @Option(names = "--count", paramLabel = "N", description = "How many fires (default 10).")
  Integer count;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    int limit = atLeast("--count", count, 10, 1);
    String only = name;
    Store store = tasks.store();
    List<Task> all = store.tasks();
    if (only != null && all.stream().noneMatch(t -> t.name().equals(only))) {
      return TasksCommand.noSuchTask(only, err());
    }
    Map<String, Instant> plan = store.transaction(Store.Tx::plan);
    Instant now = tasks.clock().instant();
    record Fire(Instant at, Task task) {}
    List<Fire> fires = new ArrayList<>();
    for (Task t : all) {
      if ((only != null && !t.name().equals(only)) || !t.effectiveEnabled()) {
        continue;
      }
      Schedule s;
      try {
        s = Schedule.parse(t.schedule(), tasks.zone(t));
      } catch (RuntimeException e) {
        err().println("jobhost tasks: task " + t.name() + ": " + e.getMessage());
        continue;
      }
      Instant f = plan.getOrDefault(t.name(), s.next(now).orElse(null));
      for (int i = 0; i < limit && f != null; i++) {
        fires.add(new Fire(f, t));
        f = s.next(f).orElse(null);
      }
    }
    fires.sort(Comparator.comparing(Fire::at).thenComparing(f -> f.task().name()));
    List<Fire> shown = fires.subList(0, Math.min(limit, fires.size()));
    if (json.isSet()) {
      List<Object> rows = new ArrayList<>();
      for (Fire f : shown) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", f.task().name());
        m.put("fire_time", f.at().toString());
        m.put("due", Misfires.due(f.task(), f.at()).toString());
        rows.add(m);
      }
      out().println(Json.write(rows));
      return 0;
    }
    for (Fire f : shown) {
      String at = TasksCommand.TIME.format(f.at().atZone(tasks.zone(f.task())));
      out().printf("%s  %s%n", at, f.task().name());
    }
    return 0;
  }
}
