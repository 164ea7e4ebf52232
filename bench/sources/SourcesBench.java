import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.RunStart;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.store.Task;

/**
 * Helpers of bench/sources/run.sh, run with the source launcher against the built cron plugin
 * (which bundles the store and sqlite-jdbc):
 *
 * <pre>
 * java -cp "dist/target/jobhost/plugins/cron.jar:dist/target/jobhost/lib/*" \
 *     bench/sources/SourcesBench.java add-tasks DB N
 * java -cp ... bench/sources/SourcesBench.java worklog DB RUNS
 * </pre>
 *
 * {@code add-tasks} puts N tasks into the table in one transaction (as {@code jobhost tasks add}
 * would, one by one). {@code worklog} times the worklog writes of one run, as the host does them:
 * the listener's two transactions for a job of another source (start unless open, end by job id),
 * and the cron source's two (start, end by run id). Not thread-safe; a benchmark, not a test.
 */
public final class SourcesBench {

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    switch (args[0]) {
      case "add-tasks" -> addTasks(db, n);
      case "worklog" -> worklog(db, n);
      default -> throw new IllegalArgumentException("add-tasks DB N | worklog DB RUNS");
    }
  }

  private static void addTasks(Path db, int n) {
    try (Store store = SqliteStore.open(db, Clock.systemUTC())) {
      Instant now = Instant.now();
      long t0 = System.nanoTime();
      store.update(
          tx -> {
            for (int i = 0; i < n; i++) {
              // Once a year at a spread-out second: planned, never due during the benchmark.
              String schedule = (i % 60) + " " + (i / 60 % 60) + " 3 1 1 *";
              tx.putTask(
                  Task.of(
                      String.format("task-%05d", i),
                      schedule,
                      "command",
                      Map.of("argv", "true")),
                  now);
            }
          });
      System.out.printf("added %d tasks in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static void worklog(Path db, int runs) throws Exception {
    Files.deleteIfExists(db);
    try (Store store = SqliteStore.open(db, Clock.systemUTC())) {
      int warmup = Math.max(1000, runs / 5);
      listenerPath(store, warmup, "warm");
      double listener = listenerPath(store, runs, "run");
      cronPath(store, warmup, "warm");
      double cron = cronPath(store, runs, "run");
      System.out.printf(
          "worklog write per run (start + end, 2 transactions): listener path %.1f us, cron path"
              + " %.1f us (%d runs each, after %d warm-up runs)%n",
          listener, cron, runs, warmup);
    }
  }

  private static double listenerPath(Store store, int n, String prefix) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String id = prefix + "-" + i + ".json";
      Instant now = Instant.now();
      RunStart s = new RunStart(Store.SOURCE_HOST, null, id, "command", 1, null, now, "bench");
      store.transaction(tx -> tx.runStartedUnlessOpen(s));
      RunEnd e = new RunEnd(Instant.now(), RunOutcome.SUCCEEDED, 0, "", "");
      store.transaction(tx -> tx.runEnded(Store.SOURCE_HOST, id, 1, "bench", e));
    }
    return (System.nanoTime() - t0) / 1000.0 / n;
  }

  private static double cronPath(Store store, int n, String prefix) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String id = "tick@" + prefix + i;
      Instant now = Instant.now();
      RunStart s = new RunStart(Store.SOURCE_CRON, null, id, "command", 1, now, now, "bench");
      long run = store.transaction(tx -> tx.runStarted(s));
      RunEnd e = new RunEnd(Instant.now(), RunOutcome.SUCCEEDED, 0, "", "");
      store.transaction(tx -> tx.runEnded(run, e));
    }
    return (System.nanoTime() - t0) / 1000.0 / n;
  }
}
