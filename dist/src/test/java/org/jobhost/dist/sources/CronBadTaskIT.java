package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.jobhost.dist.support.Hosts;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One bad cron task in the configuration file does not take the good ones down with it. */
class CronBadTaskIT {

  @TempDir Path dir;

  @RegisterExtension final Hosts hosts = new Hosts();

  private static final String TASKS =
      "[[plugins.cron.tasks]]\nname = \"broken\"\nschedule = \"61 * * * *\"\ntype = \"command\"\n"
          + "params = { shell = \"true\" }\n\n"
          + "[[plugins.cron.tasks]]\nname = \"tick\"\nschedule = \"* * * * * *\"\n"
          + "type = \"command\"\nparams = { shell = \"true\" }\n";

  @Test
  void validEverySecondTaskRunsWhileTheBadOneIsReportedAndSkipped() {
    HostConfig config = HostConfig.write(dir, "", TASKS);
    HostProcess host = hosts.start(config, "host");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                Worklog.runs(config.file(), "tick").stream()
                        .filter(r -> r.get("outcome").asText().equals("SUCCEEDED"))
                        .count()
                    >= 2);
    assertThat(host.log())
        .contains("task=broken is invalid and does not run")
        .contains("plugins.cron.tasks[0].schedule")
        .contains("\"61 * * * *\"")
        .contains("line")
        .contains("fix it and run jobhost reload");
    Cli list = Cli.jobhost(config.file(), "tasks", "list", "--json");
    assertThat(list.code()).as(list.err()).isZero();
    JsonNode tasks = Worklog.parse(list.out());
    assertThat(tasks).extracting(t -> t.get("name").asText()).containsExactly("tick");
  }
}
