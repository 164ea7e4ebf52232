package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jobhost.dist.support.Hosts;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CronIT {

  @TempDir Path dir;

  @RegisterExtension final Hosts hosts = new Hosts();

  private HostProcess start(HostConfig config, String name) {
    return hosts.start(config, name);
  }

  private static String task(String name, String schedule, String shell, String... more) {
    return "[[plugins.cron.tasks]]\nname = \""
        + name
        + "\"\nschedule = \""
        + schedule
        + "\"\ntype = \"command\"\nparams = { shell = \""
        + shell
        + "\" }\n"
        + String.join("\n", more)
        + "\n";
  }

  private static List<JsonNode> ended(List<JsonNode> runs) {
    return runs.stream().filter(r -> !r.get("outcome").asText().equals("RUNNING")).toList();
  }

  @Test
  void taskEverySecondFiresThreeTimesInAboutThreeSeconds() {
    // overlap = "allow": a first run slowed by a loaded machine must not turn the next fire into
    // a SKIPPED one; this test is about fire times.
    HostConfig config =
        HostConfig.write(dir, "", task("tick", "* * * * * *", "true", "overlap = \"allow\""));
    start(config, "host");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ended(Worklog.runs(config.file(), "tick")).size() >= 3);
    List<JsonNode> runs = Worklog.runs(config.file(), "tick").subList(0, 3);
    assertThat(runs).allSatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("SUCCEEDED"));
    Instant first = Worklog.time(runs.get(0), "fire_time");
    assertThat(runs)
        .extracting(r -> Worklog.time(r, "fire_time"))
        .as("one fire per whole second, none missed")
        .containsExactly(first, first.plusSeconds(1), first.plusSeconds(2));
    assertThat(runs)
        .as("each run starts soon after its fire time")
        .allSatisfy(
            r ->
                assertThat(
                        Duration.between(
                            Worklog.time(r, "fire_time"), Worklog.time(r, "started_at")))
                    .isLessThan(Duration.ofSeconds(3)));
  }

  @Test
  void tasksDisableFromTheCommandLineStopsTheTaskOnTheRunningDaemon() {
    HostConfig config =
        HostConfig.write(
            dir, "", task("tick", "* * * * * *", "true") + task("clock", "* * * * * *", "true"));
    start(config, "host");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !ended(Worklog.runs(config.file(), "tick")).isEmpty());

    Cli disable = Cli.jobhost(config.file(), "tasks", "disable", "tick");
    assertThat(disable.code()).as(disable.err()).isZero();
    Instant disabledAt = Instant.now();
    // The daemon sees the change at its next poll, at the latest after idle_time (1 s); a fire
    // handed out before that may still run. "clock" keeps firing and shows time passing.
    Instant settled = disabledAt.plusMillis(1500);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Worklog.runs(config.file(), "clock").stream()
                        .filter(r -> Worklog.time(r, "fire_time").isAfter(settled))
                        .count()
                    >= 2);
    assertThat(Worklog.runs(config.file(), "tick"))
        .extracting(r -> Worklog.time(r, "fire_time"))
        .allSatisfy(t -> assertThat(t).isBefore(settled));
    JsonNode tasks = Worklog.parse(Cli.jobhost(config.file(), "tasks", "list", "--json").out());
    assertThat(tasks)
        .filteredOn(t -> t.get("name").asText().equals("tick"))
        .singleElement()
        .satisfies(t -> assertThat(t.get("enabled").asBoolean()).isFalse());
  }

  @Test
  void runKilledWithTheHostIsClosedAsInterruptedAtTheNextStart() {
    HostConfig config = HostConfig.write(dir, "", task("slow", "@reboot", "sleep 30"));
    HostProcess first = start(config, "first");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Worklog.runs(config.file(), "slow").stream()
                    .anyMatch(r -> r.get("outcome").asText().equals("RUNNING")));
    first.crash();
    String jobId = Worklog.runs(config.file(), "slow").get(0).get("job_id").asText();

    HostProcess second = start(config, "second");
    JsonNode closed = Worklog.runs(config.file(), "slow").get(0);
    assertThat(closed.get("job_id").asText()).isEqualTo(jobId);
    assertThat(closed.get("outcome").asText()).isEqualTo("INTERRUPTED");
    assertThat(closed.get("ended_at").isNull()).isFalse();
    assertThat(second.log()).contains("job=" + jobId).contains("recorded as INTERRUPTED");
  }
}
