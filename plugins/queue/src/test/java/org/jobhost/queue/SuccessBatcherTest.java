package org.jobhost.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jobhost.client.NewJob;
import org.jobhost.store.Database;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.Dialect;
import org.jobhost.store.JobQueue;
import org.jobhost.store.QueueAdmin;
import org.jobhost.store.QueuedJob;
import org.jobhost.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SuccessBatcherTest {

  @TempDir Path home;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void concurrentSuccessesAreEachCommittedOnceAndLostClaimsAreReported(Dialect d) throws Exception {
    DatabaseSettings fresh = TestDatabases.fresh(d, home);
    DatabaseSettings settings =
        d == Dialect.SQLITE
            ? fresh
            : new DatabaseSettings(
                fresh.url(), fresh.user(), null, DatabaseSettings.DEFAULT_POOL_SIZE);
    try (Database db = Database.open(settings, "t", Clock.systemUTC())) {
      JobQueue q = new JobQueue(db);
      for (int i = 0; i < 800; i++) {
        q.enqueue(NewJob.of("demo", Map.of()));
      }
      List<QueuedJob> jobs = q.claim("h", 800);
      SuccessBatcher batcher = new SuccessBatcher(q, "h");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Boolean>> results = new ArrayList<>();
      for (QueuedJob j : jobs) {
        results.add(pool.submit(() -> batcher.succeeded(j.id(), j.attempt())));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(batcher.succeeded(jobs.get(0).id(), 1)).as("already ended").isFalse();
      pool.shutdown();
      assertThat(new QueueAdmin(db).stats()).containsEntry("demo", Map.of("succeeded", 800L));
    }
  }
}
