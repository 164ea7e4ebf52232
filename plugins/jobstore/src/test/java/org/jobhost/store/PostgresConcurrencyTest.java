package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jobhost.client.JobQueueClient;
import org.jobhost.client.NewJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What several hosts sharing one PostgreSQL database do at the same time. */
class PostgresConcurrencyTest {

  @TempDir Path dir;

  @Test
  void concurrentClaimersNeverTakeTheSameJob() throws Exception {
    try (Database db = TestDatabases.open(Dialect.POSTGRESQL, dir)) {
      JobQueue q = new JobQueue(db);
      int jobs = 2000;
      db.transaction(
          "bulk insert",
          c -> {
            for (int i = 0; i < jobs; i++) {
              JobQueueClient.enqueue(c, NewJob.of("demo", Map.of("n", String.valueOf(i))));
            }
            return null;
          });
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Long> all = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        String host = "h" + t;
        fs.add(
            pool.submit(
                () -> {
                  while (true) {
                    List<QueuedJob> got = q.claim(host, 7);
                    if (got.isEmpty()) {
                      return null;
                    }
                    for (QueuedJob j : got) {
                      all.add(j.id());
                      assertThat(q.finish(j.id(), 1, host, true, null)).isTrue();
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      Set<Long> unique = new HashSet<>(all);
      assertThat(all).hasSize(jobs);
      assertThat(unique).hasSize(jobs);
      assertThat(new QueueAdmin(db).stats())
          .containsEntry("demo", Map.of("succeeded", (long) jobs));
    }
  }

  @Test
  void hostsMigratingTogetherEndWithOneSchema() throws Exception {
    DatabaseSettings s = TestDatabases.fresh(Dialect.POSTGRESQL, dir);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Database>> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fs.add(pool.submit(() -> Database.open(s, "m", Clock.systemUTC())));
    }
    for (Future<Database> f : fs) {
      f.get(30, TimeUnit.SECONDS).close();
    }
    pool.shutdown();
    try (Database db = Database.open(s, "check", Clock.systemUTC())) {
      int versions =
          db.transaction(
              "count versions",
              (Connection c) -> {
                try (var rs =
                    c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_version")) {
                  rs.next();
                  return rs.getInt(1);
                }
              });
      assertThat(versions).isEqualTo(Migrations.scripts(Dialect.POSTGRESQL).size());
    }
  }
}
