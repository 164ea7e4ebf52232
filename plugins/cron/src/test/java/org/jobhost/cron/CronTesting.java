package org.jobhost.cron;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.Run;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;

/**
 * The cron plugin's surroundings in its tests: an installation in a temporary directory ({@code
 * home}), a manual clock, and the context a daemon or the command line would give the plugin.
 */
public final class CronTesting {

  private CronTesting() {}

  /** A daemon's context for cron, laid out in {@code home}; its database is {@link #database}. */
  public static TestPluginContext daemon(
      Path home, ManualClock clock, FakeHost host, Map<String, ?> values) {
    return TestPluginContext.builder("cron")
        .installation(home)
        .clock(clock)
        .host(host)
        .settings(values)
        .build();
  }

  /** The command line's context for cron, laid out in {@code home}. */
  public static TestPluginContext commandLine(Path home, ManualClock clock, Map<String, ?> values) {
    return TestPluginContext.builder("cron")
        .installation(home)
        .clock(clock)
        .settings(values)
        .commandLine()
        .build();
  }

  /** The database of a daemon laid out in {@code home}: {@code var/jobhost.db}. */
  public static Path database(Path home) {
    return home.resolve("var/jobhost.db");
  }

  /**
   * A {@code [[plugins.cron.tasks]]} table: task {@code name} runs {@code shell = "true"} with the
   * {@code command} runner on {@code schedule}; {@code more} adds keys and values, in pairs.
   */
  public static Map<String, Object> task(String name, String schedule, Object... more) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("schedule", schedule);
    t.put("type", "command");
    t.put("params", Map.of("shell", "true"));
    for (int i = 0; i < more.length; i += 2) {
      t.put((String) more[i], more[i + 1]);
    }
    return t;
  }

  /** The newest 100 runs of the worklog in {@code database}. */
  public static List<Run> history(Path database, ManualClock clock) {
    try (Store s = SqliteStore.open(database, clock)) {
      return s.history(new HistoryQuery(null, false, null, 100));
    }
  }
}
