package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dir;

  private Path db() {
    return dir.resolve("sub/jobhost.db");
  }

  private static List<String> query(Path file, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static RunStart start(String job, String host) {
    return new RunStart(Store.SOURCE_HOST, null, job, "command", 1, null, T0, host);
  }

  @Test
  void migrationsCreateTheSchemaOnAFreshFile() throws Exception {
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      assertThat(store.tasks()).isEmpty();
    }
    assertThat(query(db(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains(
            "tasks", "task_params", "plan", "run_requests", "fires", "runs", "schema_version");
    assertThat(query(db(), "PRAGMA journal_mode")).containsExactly("wal");
  }

  @Test
  void reopeningAppliesNoMigrationTwice() throws Exception {
    SqliteStore.open(db(), CLOCK).close();
    SqliteStore.open(db(), CLOCK).close();
    assertThat(query(db(), "SELECT version FROM schema_version"))
        .containsExactly("1", "2")
        .hasSize(Migrations.scripts(Dialect.SQLITE).size());
  }

  @Test
  void databaseFromANewerJobhostIsRefusedWithItsVersion() throws Exception {
    SqliteStore.open(db(), CLOCK).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO schema_version VALUES (99, 'future', 0)");
    }
    assertThatThrownBy(() -> SqliteStore.open(db(), CLOCK))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("upgrade jobhost");
  }

  @Test
  void runLeftOpenByADeadHostIsClosedAsInterruptedAtTheNextStart() {
    long id;
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      id = store.transaction(tx -> tx.runStarted(start("job-1", "alpha")));
      store.transaction(tx -> tx.runStarted(start("job-2", "beta")));
    }
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      List<Run> closed = store.transaction(tx -> tx.closeInterrupted("alpha", T0.plusSeconds(30)));
      assertThat(closed).extracting(Run::id).containsExactly(id);
      Run run = store.history(new HistoryQuery("job-1", false, null, 10)).get(0);
      assertThat(run.end().outcome()).isEqualTo(RunOutcome.INTERRUPTED);
      assertThat(run.duration()).contains(Duration.ofSeconds(30));
      Run other = store.history(new HistoryQuery("job-2", false, null, 10)).get(0);
      assertThat(other.end()).as("another host's run is not ours to close").isNull();
    }
  }

  @Test
  void twoStoresOnOneFileClaimAFireOnlyOnce() {
    try (SqliteStore a = SqliteStore.open(db(), CLOCK);
        SqliteStore b = SqliteStore.open(db(), CLOCK)) {
      a.update(tx -> tx.putTask(Task.of("t", "* * * * *", "command", Map.of()), T0));
      assertThat(a.<Boolean>transaction(tx -> tx.claimFire("t", T0, "alpha", T0))).isTrue();
      assertThat(b.<Boolean>transaction(tx -> tx.claimFire("t", T0, "beta", T0))).isFalse();
    }
  }

  @Test
  void twoStoresOnOneFileWriteConcurrentlyWithoutLosingARun() throws Exception {
    try (SqliteStore a = SqliteStore.open(db(), CLOCK);
        SqliteStore b = SqliteStore.open(db(), CLOCK)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<Void>> work = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          SqliteStore s = w % 2 == 0 ? a : b;
          int worker = w;
          work.add(
              () -> {
                for (int i = 0; i < 50; i++) {
                  String job = "w" + worker + "-" + i;
                  long id = s.transaction(tx -> tx.runStarted(start(job, "h")));
                  s.transaction(
                      tx ->
                          tx.runEnded(
                              id, new RunEnd(T0, RunOutcome.SUCCEEDED, 0, "", "ok " + worker)));
                }
                return null;
              });
        }
        for (Future<Void> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(a.history(HistoryQuery.latest(1000))).hasSize(200).allMatch(r -> r.end() != null);
    }
  }

  @Test
  void changeCountMovesWhenAnotherStoreCommitsButNotForOwnCommits() {
    try (SqliteStore daemon = SqliteStore.open(db(), CLOCK);
        SqliteStore cli = SqliteStore.open(db(), CLOCK)) {
      long before = daemon.changeCount();
      daemon.update(tx -> tx.runStarted(start("own", "h")));
      assertThat(daemon.changeCount()).isEqualTo(before);
      cli.update(tx -> tx.putTask(Task.of("t", "@daily", "command", Map.of()), T0));
      assertThat(daemon.changeCount()).isNotEqualTo(before);
    }
  }

  @Test
  void configSyncKeepsCommandLineTasksAndDropsTasksRemovedFromTheFile() {
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      Task cli = Task.of("adhoc", "@hourly", "command", Map.of("shell", "true"));
      Task a = Task.of("a", "@daily", "command", Map.of());
      Task b = Task.of("b", "@daily", "command", Map.of());
      store.update(tx -> tx.putTask(cli, T0));
      assertThat(store.<Store.Sync>transaction(tx -> tx.syncConfigTasks(List.of(a, b), T0)))
          .isEqualTo(new Store.Sync(2, 0, 0));
      store.update(tx -> tx.putTask(tx.task("a").orElseThrow().withEnabledOverride(false), T0));
      Store.Sync sync = store.transaction(tx -> tx.syncConfigTasks(List.of(a), T0));
      assertThat(sync).isEqualTo(new Store.Sync(0, 0, 1));
      assertThat(store.tasks()).extracting(Task::name).containsExactly("a", "adhoc");
      Task kept = store.transaction(tx -> tx.task("a")).orElseThrow();
      assertThat(kept.origin()).isEqualTo(Task.Origin.CONFIG);
      assertThat(kept.effectiveEnabled())
          .as("the command line's disable survives a sync")
          .isFalse();
      assertThat(store.transaction(tx -> tx.task("adhoc")).orElseThrow().params())
          .containsEntry("shell", "true");
    }
  }

  @Test
  void changedScheduleOrDisablingDropsThePlan() {
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      Task t = Task.of("t", "@daily", "command", Map.of());
      store.update(
          tx -> {
            tx.putTask(t, T0);
            tx.setPlan("t", T0.plusSeconds(60), T0);
          });
      store.update(tx -> tx.putTask(t.withTimezone("UTC"), T0));
      assertThat(store.transaction(Store.Tx::plan)).doesNotContainKey("t");
      store.update(tx -> tx.setPlan("t", T0.plusSeconds(60), T0));
      store.update(tx -> tx.putTask(t.withTimezone("UTC").withEnabled(false), T0));
      assertThat(store.transaction(Store.Tx::plan)).doesNotContainKey("t");
    }
  }

  @Test
  void requestIsTakenByExactlyOneTaker() {
    try (SqliteStore a = SqliteStore.open(db(), CLOCK);
        SqliteStore b = SqliteStore.open(db(), CLOCK)) {
      a.update(tx -> tx.putTask(Task.of("t", "@daily", "command", Map.of()), T0));
      long id =
          a.transaction(
              tx ->
                  tx.addRequest(
                      new RunRequest(0, "t", RunRequest.Reason.MANUAL, T0, 1, T0, null, T0)));
      assertThat(b.transaction(Store.Tx::requests)).extracting(RunRequest::id).containsExactly(id);
      assertThat(b.<Boolean>transaction(tx -> tx.takeRequest(id))).isTrue();
      assertThat(a.<Boolean>transaction(tx -> tx.takeRequest(id))).isFalse();
    }
  }

  @Test
  void hostEventsDoNotRecordAJobTheCronSourceAlreadyRecorded() {
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      RunStart cron = new RunStart(Store.SOURCE_CRON, "t", "t@x", "command", 1, T0, T0, "h");
      store.transaction(tx -> tx.runStarted(cron));
      assertThat(
              store.<Optional<Long>>transaction(tx -> tx.runStartedUnlessOpen(start("t@x", "h"))))
          .isEmpty();
      assertThat(
              store.<Optional<Long>>transaction(
                  tx -> tx.runStartedUnlessOpen(start("spool-1", "h"))))
          .isPresent();
      RunEnd end = new RunEnd(T0, RunOutcome.SUCCEEDED, 0, "", "");
      assertThat(
              store.<Optional<Long>>transaction(
                  tx -> tx.runEnded(Store.SOURCE_HOST, "t@x", 1, "h", end)))
          .as("the cron source closes its own run")
          .isEmpty();
    }
  }

  @Test
  void pruneKeepsTheNewestRunsOfEachTaskAndDropsOldOnes() {
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      for (String task : List.of("a", "b")) {
        for (int i = 0; i < 5; i++) {
          Instant at = T0.plusSeconds(i);
          RunStart s = new RunStart(Store.SOURCE_CRON, task, task + i, "command", 1, at, at, "h");
          long id = store.transaction(tx -> tx.runStarted(s));
          store.transaction(tx -> tx.runEnded(id, new RunEnd(at, RunOutcome.SUCCEEDED, 0, "", "")));
        }
      }
      store.transaction(tx -> tx.runStarted(start("open", "h")));
      int deleted = store.transaction(tx -> tx.prune(3, T0.plusSeconds(1)));
      assertThat(deleted).isEqualTo(4);
      assertThat(store.history(HistoryQuery.latest(100)))
          .extracting(r -> r.start().jobId())
          .containsExactly("open", "b4", "b3", "b2", "a4", "a3", "a2");
    }
  }

  @Test
  void outputTailKeepsTheEndOfLongOutput() {
    String longOutput = "x".repeat(RunEnd.MAX_TAIL) + "END";
    RunEnd end = new RunEnd(T0, RunOutcome.FAILED, 1, "boom", longOutput);
    assertThat(end.outputTail()).hasSize(RunEnd.MAX_TAIL).endsWith("END");
  }

  @Test
  void taskRowThatCannotBeReadIsLeftOutAndTheOtherTasksAreStillRead() throws Exception {
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      store.update(tx -> tx.putTask(Task.of("a", "@daily", "command", Map.of()), T0));
      store.update(tx -> tx.putTask(Task.of("b", "@daily", "command", Map.of()), T0));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      st.execute("UPDATE tasks SET overlap = 'sometimes' WHERE name = 'a'");
    }
    try (SqliteStore store = SqliteStore.open(db(), CLOCK)) {
      assertThat(store.tasks()).extracting(Task::name).containsExactly("b");
      store.update(tx -> tx.putTask(Task.of("a", "@hourly", "command", Map.of()), T0));
      assertThat(store.tasks()).extracting(Task::name).containsExactly("a", "b");
    }
  }

  @Test
  void fileThatIsNotADatabaseIsNamedSoWithHowToRecover() throws Exception {
    java.nio.file.Files.createDirectories(db().getParent());
    java.nio.file.Files.writeString(
        db(), "this is not a database, but it is long enough ".repeat(40));
    for (Runnable open :
        List.<Runnable>of(
            () -> SqliteStore.open(db(), CLOCK).close(),
            () -> Database.open(DatabaseSettings.sqlite(db()), "test", CLOCK).close())) {
      assertThatThrownBy(open::run)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot open database " + db().toAbsolutePath())
          .hasMessageContaining("the file is not an SQLite database")
          .hasMessageContaining("move it aside (mv " + db().toAbsolutePath())
          .hasMessageContaining("the tasks of the configuration come back")
          .hasMessageNotContaining("check the path and permissions");
    }
  }
}
