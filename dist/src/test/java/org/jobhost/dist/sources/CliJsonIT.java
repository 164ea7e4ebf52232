package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's {@code --json} output parses and carries the documented fields. */
class CliJsonIT {

  /** The README's list of a command's {@code --json} fields ("`history --json` fields: `a, b`"). */
  private static List<String> documentedFields(String command) throws IOException {
    String readme = Files.readString(Path.of("..", "README.md")).replace('\n', ' ');
    Matcher m =
        Pattern.compile("`" + Pattern.quote(command) + " --json` fields: `([^`]+)`")
            .matcher(readme);
    assertThat(m.find()).as("the README lists the fields of " + command + " --json").isTrue();
    return List.of(m.group(1).split(",\\s*"));
  }

  @TempDir Path dir;

  @Test
  void historyAndTasksListPrintJsonWithTheDocumentedFields() throws IOException {
    List<String> historyFields = documentedFields("history");
    List<String> taskFields = documentedFields("tasks list");
    HostConfig config =
        HostConfig.write(
            dir,
            "",
            "[[plugins.cron.tasks]]\nname = \"hello\"\nschedule = \"* * * * * *\"\n"
                + "type = \"command\"\nparams = { shell = \"echo hi\" }\n");
    try (HostProcess host = HostProcess.start(config.file(), dir.resolve("host.out"))) {
      SpoolFiles.drop(
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
                    .containsExactlyInAnyOrderElementsOf(historyFields));
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
        .containsExactlyInAnyOrderElementsOf(taskFields);
    assertThat(tasks.get(0).get("origin").asText()).isEqualTo("config");
  }
}
