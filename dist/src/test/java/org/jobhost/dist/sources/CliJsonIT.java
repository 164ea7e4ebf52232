package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's {@code --json} output parses and carries the documented fields. */
class CliJsonIT {

  private static final List<String> HISTORY_FIELDS =
      List.of(
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
          "output_tail");

  private static final List<String> TASK_FIELDS =
      List.of(
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
          "next_fire");

  @TempDir Path dir;

  @Test
  void historyAndTasksListPrintJsonWithTheDocumentedFields() {
    HostConfig config =
        HostConfig.write(
            dir,
            "",
            "[[plugins.cron.tasks]]\nname = \"hello\"\nschedule = \"* * * * * *\"\n"
                + "type = \"command\"\nparams = { shell = \"echo hi\" }\n");
    try (HostProcess host = HostProcess.start(config.file(), dir.resolve("host.out"))) {
      SpoolIT.drop(
          config.spool(), "a.json", "{\"type\": \"command\", \"params\": {\"shell\": \"exit 4\"}}");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Worklog.runs(config.file()).stream()
                          .filter(r -> !r.get("outcome").asText().equals("RUNNING"))
                          .map(r -> r.get("source").asText())
                          .distinct()
                          .count()
                      == 2);
      assertThat(host.isAlive()).isTrue();
    }
    List<JsonNode> runs = Worklog.runs(config.file());
    assertThat(runs)
        .allSatisfy(
            r ->
                assertThat(r.fieldNames())
                    .toIterable()
                    .containsExactlyInAnyOrderElementsOf(HISTORY_FIELDS));
    JsonNode spool =
        runs.stream().filter(r -> r.get("job_id").asText().equals("a.json")).findFirst().get();
    assertThat(spool.get("task").isNull()).isTrue();
    assertThat(spool.get("outcome").asText()).isEqualTo("FAILED");
    assertThat(spool.get("exit_code").asInt()).isEqualTo(4);
    assertThat(spool.get("host").asText()).isEqualTo("it-host");
    JsonNode cron =
        runs.stream().filter(r -> r.get("task").asText().equals("hello")).findFirst().get();
    assertThat(cron.get("output_tail").asText()).isEqualTo("hi");
    assertThat(cron.get("duration_ms").isIntegralNumber()).isTrue();

    Cli list = Cli.jobhost(config.file(), "tasks", "list", "--json");
    assertThat(list.code()).as(list.err()).isZero();
    JsonNode tasks = Worklog.parse(list.out());
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).fieldNames())
        .toIterable()
        .containsExactlyInAnyOrderElementsOf(TASK_FIELDS);
    assertThat(tasks.get(0).get("origin").asText()).isEqualTo("config");
  }
}
