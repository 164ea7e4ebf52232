package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.PostgresStore;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Schedulers of several hosts on one PostgreSQL task table. */
class SchedulerClusterTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private static EmbeddedPostgres pg;
  private final List<Store> stores = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(Store::close);
  }

  @Test
  void eachFireOfAPerSecondTaskRunsOnExactlyOneOfThreeHostsWhoseClocksDrift() {
    DatabaseSettings db =
        new DatabaseSettings(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, 2);
    long[] driftMs = {0, 300, -400};
    List<ManualClock> clocks = new ArrayList<>();
    List<Scheduler> hosts = new ArrayList<>();
    for (int i = 0; i < driftMs.length; i++) {
      ManualClock clock = new ManualClock(T0.plusMillis(driftMs[i]));
      PostgresStore store = PostgresStore.open(db, "h" + i, clock);
      stores.add(store);
      CronSettings s =
          new CronSettings(
              db,
              "host-" + i,
              CronSettings.DEFAULT_KEEP_RUNS,
              CronSettings.DEFAULT_KEEP_FOR,
              CronSettings.DEFAULT_MISFIRE_THRESHOLD,
              List.of(
                  Task.of("tick", "* * * * * *", "demo", Map.of()).withOrigin(Task.Origin.CONFIG)));
      Scheduler scheduler = new Scheduler(store, clock, s, () -> {});
      scheduler.start();
      clocks.add(clock);
      hosts.add(scheduler);
    }
    Map<String, Integer> runsPerFire = new HashMap<>();
    for (int step = 0; step < 4 * 30; step++) {
      for (int i = 0; i < hosts.size(); i++) {
        clocks.get(i).advance(Duration.ofMillis(250));
        for (Job job : hosts.get(i).poll(4)) {
          runsPerFire.merge(job.id(), 1, Integer::sum);
          hosts.get(i).completed(job, Outcome.succeeded());
        }
      }
    }
    assertThat(runsPerFire.values()).as("runs per fire").containsOnly(1);
    assertThat(runsPerFire).hasSizeBetween(29, 31);
  }
}
