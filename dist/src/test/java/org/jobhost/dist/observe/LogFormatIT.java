package org.jobhost.dist.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log_format = "json"} makes every line of the console and the log files one JSON object,
 * whatever a job prints, with the job's id, type and plugin; under systemd's journal stream the
 * console lines carry priority prefixes and no timestamps.
 */
class LogFormatIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void withJsonEveryLineOfConsoleAndFilesParsesAndTheJobsLinesCarryItsFields() throws Exception {
    HostConfig config = HostConfig.write(dir, "log_format = \"json\"", "");
    Path out = dir.resolve("host.out");
    try (HostProcess host = HostProcess.start(config.file(), out)) {
      SpoolFiles.drop(
          config.spool(),
          "json-job.json",
          "{\"type\": \"command\", \"params\": {\"shell\":"
              + " \"printf 'esc \\\\033[2J bell \\\\007 end\\\\n'; exit 3\"}}");
      host.awaitLog("json-job.json type=command attempt=1 FAILED", Duration.ofSeconds(30));
    }
    List<JsonNode> console = lines(out);
    List<JsonNode> file = lines(dir.resolve("logs/jobhost.log"));
    List<JsonNode> jobs = lines(dir.resolve("logs/jobs.log"));

    assertThat(console).isNotEmpty();
    assertThat(file)
        .filteredOn(n -> n.path("mdc").path("job").asText().equals("json-job.json"))
        .isNotEmpty()
        .allSatisfy(
            n -> {
              assertThat(n.get("mdc").get("type").asText()).isEqualTo("command");
              assertThat(n.get("mdc").get("plugin").asText()).isEqualTo("command");
            });
    assertThat(file)
        .anySatisfy(n -> assertThat(n.get("formattedMessage").asText()).contains("FAILED"));
    assertThat(jobs)
        .anySatisfy(
            n -> {
              assertThat(n.get("mdc").get("job").asText()).isEqualTo("json-job.json");
              assertThat(n.get("formattedMessage").asText()).startsWith("esc ").endsWith(" end");
            });
  }

  @Test
  void onTheJournalStreamConsoleLinesHavePrioritiesAndNoTimestamps() throws Exception {
    HostConfig config = HostConfig.write(dir, "", "");
    SpoolFiles.drop(config.spool(), "j.json", SpoolFiles.commandJob("exit 0"));
    Path out = dir.resolve("journal.out");
    Files.createFile(out);
    String stream = Files.getAttribute(out, "unix:dev") + ":" + Files.getAttribute(out, "unix:ino");

    int code =
        ExitWhenIdle.run(
            config.file(), Map.of("JOURNAL_STREAM", stream), out.toFile(), out.toFile());

    assertThat(code).isZero();
    List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches("<[3-7]>\\D.*"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<6>INFO "));
    assertThat(Files.readString(dir.resolve("logs/jobhost.log")))
        .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

    Path other = dir.resolve("elsewhere.out");
    SpoolFiles.drop(config.spool(), "k.json", SpoolFiles.commandJob("exit 0"));
    assertThat(
            ExitWhenIdle.run(
                config.file(), Map.of("JOURNAL_STREAM", stream), other.toFile(), other.toFile()))
        .isZero();
    assertThat(Files.readString(other))
        .as("output redirected away from the journal stays plain text")
        .doesNotContain("<6>")
        .containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO");
  }

  @Test
  void aSignalInheritedAsIgnoredIsWarnedInTheConfiguredFormatAndInTheLogFile() throws Exception {
    HostConfig config = HostConfig.write(dir, "log_format = \"json\"", "");
    SpoolFiles.drop(config.spool(), "j.json", SpoolFiles.commandJob("exit 0"));
    Path out = dir.resolve("nohup.out");

    int code =
        ExitWhenIdle.run(
            List.of("env", "--ignore-signal=HUP"),
            config.file(),
            Map.of(),
            out.toFile(),
            out.toFile());

    assertThat(code).isZero();
    String warning = "signal=SIGHUP was inherited as ignored";
    assertThat(lines(out))
        .anySatisfy(n -> assertThat(n.get("formattedMessage").asText()).startsWith(warning));
    assertThat(lines(dir.resolve("logs/jobhost.log")))
        .anySatisfy(n -> assertThat(n.get("formattedMessage").asText()).startsWith(warning));
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError(file + " has a line that is not JSON: " + line, e);
      }
    }
    return out;
  }
}
