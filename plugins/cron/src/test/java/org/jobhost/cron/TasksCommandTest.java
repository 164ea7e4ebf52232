package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jobhost.store.RunRequest;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksCommandTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);

  /**
   * Runs {@code jobhost tasks ARGS} as the command line does: a new process (command and context),
   * init, run, close.
   */
  private TestCommandLine.Result run(String... args) {
    return TestCommandLine.run(
        new TasksCommand(),
        CronTesting.commandLine(home, clock, Map.of("database", "db/test.db")),
        args);
  }

  private Store store() {
    return SqliteStore.open(home.resolve("db/test.db"), clock);
  }

  @Test
  void addWithoutPoliciesTakesTheDefaultsItsHelpShows() throws Exception {
    TestCommandLine.Result help = run("add", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains("--overlap=skip|queue|allow What a fire does while a run goes (default: skip).")
        .contains("Fires missed while down (default: fire_once).")
        .contains("At most N missed fires (default: 10).")
        .contains("A random delay up to D (default: 0s).");

    assertThat(run("add", "t", "--schedule", "@hourly", "--type", "command").code()).isZero();
    try (Store s = store()) {
      Task t = s.tasks().stream().filter(x -> x.name().equals("t")).findFirst().orElseThrow();
      assertThat(t.overlap()).isEqualTo(Task.Overlap.SKIP);
      assertThat(t.misfire()).isEqualTo(Task.Misfire.FIRE_ONCE);
      assertThat(t.misfireCap()).isEqualTo(Task.DEFAULT_MISFIRE_CAP);
      assertThat(t.jitter()).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  void addedTaskIsListedWithItsNextFire() throws Exception {
    TestCommandLine.Result add =
        run(
            "add",
            "backup",
            "--schedule",
            "30 2 * * *",
            "--type",
            "command",
            "--param",
            "shell=echo hello",
            "--max-attempts",
            "3");
    assertThat(add.code()).isZero();
    assertThat(add.out()).contains("added task backup").contains("2024-05-02 02:30:00");
    TestCommandLine.Result list = run("list");
    assertThat(list.out()).contains("backup").contains("30 2 * * *").contains("cli");
  }

  @Test
  void listAsJsonCarriesTheDocumentedFields() throws Exception {
    run("add", "t", "--schedule", "@hourly", "--type", "command", "--param", "shell=true");
    JsonNode rows = new ObjectMapper().readTree(run("list", "--json").out());
    assertThat(rows.isArray()).isTrue();
    JsonNode t = rows.get(0);
    assertThat(t.fieldNames())
        .toIterable()
        .as("every key of a [[plugins.cron.tasks]] table, the task's origin and its next fire")
        .containsAll(CronSettings.TASK_KEYS)
        .contains("origin", "next_fire");
    assertThat(t.get("params").get("shell").asText()).isEqualTo("true");
  }

  @Test
  void disableEnableAndRemoveChangeTheTable() throws Exception {
    run("add", "t", "--schedule", "@hourly", "--type", "command");
    assertThat(run("disable", "t").code()).isZero();
    try (Store s = store()) {
      assertThat(s.tasks().get(0).effectiveEnabled()).isFalse();
    }
    assertThat(run("enable", "t").code()).isZero();
    assertThat(run("remove", "t").code()).isZero();
    try (Store s = store()) {
      assertThat(s.tasks()).isEmpty();
    }
  }

  @Test
  void runInsertsAManualRequestTheDaemonPicksUp() throws Exception {
    run("add", "t", "--schedule", "@yearly", "--type", "command");
    assertThat(run("run", "t").out()).contains("requested a run of task t");
    try (Store s = store()) {
      assertThat(s.transaction(Store.Tx::requests))
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo(RunRequest.Reason.MANUAL));
    }
  }

  @Test
  void nextListsTheComingFiresInOrder() throws Exception {
    run("add", "a", "--schedule", "0 * * * *", "--type", "command");
    run("add", "b", "--schedule", "30 * * * *", "--type", "command");
    TestCommandLine.Result next = run("next", "--count", "3", "--json");
    JsonNode rows = new ObjectMapper().readTree(next.out());
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("task").asText()).isEqualTo("b");
    assertThat(rows.get(0).get("fire_time").asText()).isEqualTo("2024-05-01T10:30:00Z");
    assertThat(rows.get(1).get("task").asText()).isEqualTo("a");
  }

  @Test
  void unknownTaskIsAFailureNamingIt() throws Exception {
    TestCommandLine.Result r = run("run", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no task named nope");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("frobnicate").code()).isEqualTo(2);
    assertThat(run("next", "--count", "zero").code()).isEqualTo(2);
    TestCommandLine.Result bad = run("add", "t", "--schedule", "61 * * * *", "--type", "command");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("61 * * * *").contains("Usage: jobhost tasks add");
  }
}
