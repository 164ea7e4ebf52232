package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jobhost.cron.CliTestSupport.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jobhost.store.RunRequest;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksCommandTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final MutableClock clock = new MutableClock(T0, ZoneOffset.UTC);
  private TasksCommand tasks;

  @BeforeEach
  void init() {
    tasks = new TasksCommand();
    tasks.init(new FakeContext(home, Map.of("database", "db/test.db"), clock));
  }

  @AfterEach
  void close() {
    tasks.close();
  }

  private Store store() {
    return SqliteStore.open(home.resolve("db/test.db"), clock);
  }

  @Test
  void addedTaskIsListedWithItsNextFire() throws Exception {
    CliTestSupport.Result add =
        run(
            tasks,
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
    CliTestSupport.Result list = run(tasks, "list");
    assertThat(list.out()).contains("backup").contains("30 2 * * *").contains("cli");
  }

  @Test
  void listAsJsonCarriesTheDocumentedFields() throws Exception {
    run(tasks, "add", "t", "--schedule", "@hourly", "--type", "command", "--param", "shell=true");
    JsonNode rows = new ObjectMapper().readTree(run(tasks, "list", "--json").out());
    assertThat(rows.isArray()).isTrue();
    JsonNode t = rows.get(0);
    for (String field :
        new String[] {
          "name",
          "schedule",
          "timezone",
          "type",
          "params",
          "enabled",
          "origin",
          "timeout",
          "max_attempts",
          "overlap",
          "misfire",
          "misfire_cap",
          "jitter",
          "rerun_interrupted",
          "next_fire"
        }) {
      assertThat(t.has(field)).as(field).isTrue();
    }
    assertThat(t.get("params").get("shell").asText()).isEqualTo("true");
  }

  @Test
  void disableEnableAndRemoveChangeTheTable() throws Exception {
    run(tasks, "add", "t", "--schedule", "@hourly", "--type", "command");
    assertThat(run(tasks, "disable", "t").code()).isZero();
    try (Store s = store()) {
      assertThat(s.tasks().get(0).effectiveEnabled()).isFalse();
    }
    assertThat(run(tasks, "enable", "t").code()).isZero();
    assertThat(run(tasks, "remove", "t").code()).isZero();
    try (Store s = store()) {
      assertThat(s.tasks()).isEmpty();
    }
  }

  @Test
  void runInsertsAManualRequestTheDaemonPicksUp() throws Exception {
    run(tasks, "add", "t", "--schedule", "@yearly", "--type", "command");
    assertThat(run(tasks, "run", "t").out()).contains("requested a run of task t");
    try (Store s = store()) {
      assertThat(s.transaction(Store.Tx::requests))
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo(RunRequest.Reason.MANUAL));
    }
  }

  @Test
  void nextListsTheComingFiresInOrder() throws Exception {
    run(tasks, "add", "a", "--schedule", "0 * * * *", "--type", "command");
    run(tasks, "add", "b", "--schedule", "30 * * * *", "--type", "command");
    CliTestSupport.Result next = run(tasks, "next", "--count", "3", "--json");
    JsonNode rows = new ObjectMapper().readTree(next.out());
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("task").asText()).isEqualTo("b");
    assertThat(rows.get(0).get("fire_time").asText()).isEqualTo("2024-05-01T10:30:00Z");
    assertThat(rows.get(1).get("task").asText()).isEqualTo("a");
  }

  @Test
  void unknownTaskIsAFailureNamingIt() throws Exception {
    CliTestSupport.Result r = run(tasks, "run", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no task named nope");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    assertThat(run(tasks).code()).isEqualTo(2);
    assertThat(run(tasks, "frobnicate").code()).isEqualTo(2);
    assertThat(run(tasks, "next", "--count", "zero").code()).isEqualTo(2);
    CliTestSupport.Result bad =
        run(tasks, "add", "t", "--schedule", "61 * * * *", "--type", "command");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("61 * * * *").contains("Usage: tasks add");
  }
}
