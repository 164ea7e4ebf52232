package org.jobhost.bench.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One db-scheduler process, the peer of one jobhost host: a no-op one-time task, {@code threads}
 * executor threads, lock-and-fetch polling. Records each execution's instance and start time (epoch
 * microseconds); on "stop" from stdin it stops the scheduler and writes them to a file.
 *
 * <p>Arguments: JDBC URL, threads, polling interval in ms, output file.
 */
public final class DbSchedulerWorker {

  private DbSchedulerWorker() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int threads = Integer.parseInt(args[1]);
    Duration polling = Duration.ofMillis(Long.parseLong(args[2]));
    Path out = Path.of(args[3]);
    ConcurrentLinkedQueue<String> starts = new ConcurrentLinkedQueue<>();
    OneTimeTask<Void> noop =
        Tasks.oneTime("noop")
            .execute((instance, ctx) -> starts.add(instance.getId() + " " + Clocks.epochMicros()));
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername("postgres");
    hc.setMaximumPoolSize(threads + 2);
    try (HikariDataSource ds = new HikariDataSource(hc)) {
      Scheduler scheduler =
          Scheduler.create(ds, noop)
              .threads(threads)
              .pollUsingLockAndFetch(0.5, 3.0)
              .pollingInterval(polling)
              .shutdownMaxWait(Duration.ofSeconds(5))
              .build();
      scheduler.start();
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (true) {
        String line = in.readLine();
        if (line == null || line.equals("stop")) {
          break;
        }
      }
      scheduler.stop();
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      starts.forEach(w::println);
    }
  }
}
