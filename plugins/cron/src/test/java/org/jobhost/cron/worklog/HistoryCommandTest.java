package org.jobhost.cron.worklog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.jobhost.cron.CronTesting;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.RunStart;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestCommandLine;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private TestPluginContext context;

  @BeforeEach
  void init() {
    try (Store s = SqliteStore.open(home.resolve("jobhost.db"), clock)) {
      record(s, "backup", T0.minusSeconds(7200), RunOutcome.SUCCEEDED, 0, "done\n");
      record(s, "backup", T0.minusSeconds(60), RunOutcome.FAILED, 3, "disk full\n");
      record(s, "report", T0.minusSeconds(30), RunOutcome.SUCCEEDED, 0, "ok\n");
    }
    context = CronTesting.commandLine(home, clock, Map.of("database", "jobhost.db"));
  }

  /**
   * Runs {@code jobhost history ARGS} as the command line does: a new command, init, run, close.
   */
  private TestCommandLine.Result run(String... args) {
    return TestCommandLine.run(new HistoryCommand(), context, args);
  }

  private static void record(
      Store s, String task, Instant at, RunOutcome outcome, int exit, String out) {
    RunStart start =
        new RunStart(Store.SOURCE_CRON, task, task + "@" + at, "command", 1, at, at, "alpha");
    long id = s.transaction(tx -> tx.runStarted(start));
    s.transaction(
        tx -> tx.runEnded(id, new RunEnd(at.plusSeconds(2), outcome, exit, "exit " + exit, out)));
  }

  @Test
  void historyShowsNewestRunsFirstWithOutcomeExitCodeAndTail() throws Exception {
    TestCommandLine.Result r = run();
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).startsWith("ID");
    assertThat(lines[1]).contains("report").contains("SUCCEEDED").contains("2s");
    assertThat(lines[2]).contains("backup").contains("FAILED").contains("disk full");
  }

  @Test
  void filtersByTaskFailureAndAge() throws Exception {
    JsonNode failed = new ObjectMapper().readTree(run("backup", "--failed", "--json").out());
    assertThat(failed).hasSize(1);
    JsonNode recent = new ObjectMapper().readTree(run("--since", "1h", "--json").out());
    assertThat(recent).hasSize(2);
  }

  @Test
  void jsonCarriesTheDocumentedFields() throws Exception {
    JsonNode rows = new ObjectMapper().readTree(run("--json").out());
    JsonNode row = rows.get(1);
    for (String field :
        new String[] {
          "id",
          "task",
          "job_id",
          "source",
          "type",
          "attempt",
          "host",
          "fire_time",
          "started_at",
          "ended_at",
          "outcome",
          "exit_code",
          "duration_ms",
          "message",
          "output_tail"
        }) {
      assertThat(row.has(field)).as(field).isTrue();
    }
    assertThat(row.get("outcome").asText()).isEqualTo("FAILED");
    assertThat(row.get("exit_code").asInt()).isEqualTo(3);
    assertThat(row.get("duration_ms").asLong()).isEqualTo(2000);
    assertThat(row.get("output_tail").asText()).isEqualTo("disk full\n");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    assertThat(run("--bogus").code()).isEqualTo(2);
    TestCommandLine.Result r = run("--since", "yesterday-ish");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--since \"yesterday-ish\"");
    assertThat(run("a", "b").code()).isEqualTo(2);
  }

  @Test
  void historyThatCannotReadTheWorklogPrintsWhyAndExitsOne() throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("jobhost.db"));
        java.sql.Statement st = c.createStatement()) {
      st.execute("ALTER TABLE runs RENAME TO runs_moved");
    }
    TestCommandLine.Result r = run();
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("jobhost history: ").contains("runs");
  }
}
