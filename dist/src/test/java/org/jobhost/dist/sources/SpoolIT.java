package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jobhost.dist.support.SpoolFiles.drop;
import static org.jobhost.dist.support.SpoolFiles.jobFiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jobhost.dist.support.Hosts;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SpoolIT {

  @TempDir Path dir;

  @RegisterExtension final Hosts hosts = new Hosts();

  private HostProcess start(HostConfig config, String name) {
    return hosts.start(config, name);
  }

  private static Set<String> names(int n) {
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format("job-%04d.json", i));
    }
    return out;
  }

  @Test
  void spoolOfAThousandFilesDrainsCompletelyEachFileInDone() {
    HostConfig config = HostConfig.write(dir, "max_workers = 4", "");
    for (String name : names(1000)) {
      drop(config.spool(), name, "{\"type\": \"command\", \"params\": {\"argv\": \"true\"}}");
    }
    start(config, "host");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> jobFiles(config.spool().resolve("done")).size() == 1000);
    assertThat(jobFiles(config.spool().resolve("done"))).isEqualTo(names(1000));
    assertThat(jobFiles(config.spool().resolve("incoming"))).isEmpty();
    assertThat(jobFiles(config.spool().resolve("active"))).isEmpty();
    assertThat(jobFiles(config.spool().resolve("failed"))).isEmpty();
  }

  @Test
  void theWorklogHoldsOneSucceededRunForEachOfAThousandSpoolJobs() throws IOException {
    HostConfig config = HostConfig.write(dir, "max_workers = 4", "");
    for (String name : names(1000)) {
      drop(config.spool(), name, "{\"type\": \"command\", \"params\": {\"argv\": \"true\"}}");
    }
    HostProcess host = start(config, "host");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> jobFiles(config.spool().resolve("done")).size() == 1000);
    // The cron worklog and the SQLite queue write the same jobhost.db: two copies of the native
    // SQLite library (one per plugin class loader) ignored each other's locks and lost runs.
    try (Stream<String> maps = Files.lines(Path.of("/proc/" + host.pid() + "/maps"))) {
      assertThat(
              maps.filter(l -> l.contains("libsqlitejdbc"))
                  .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                  .distinct())
          .as("native SQLite libraries mapped by the host")
          .hasSize(1);
    }
    host.signal("TERM");
    assertThat(host.awaitExit(HostProcess.STOP_TIMEOUT)).isZero();
    List<JsonNode> runs = Worklog.runs(config.file());
    assertThat(runs).hasSize(1000);
    assertThat(runs)
        .allSatisfy(
            r -> {
              assertThat(r.get("source").asText()).isEqualTo("host");
              assertThat(r.get("outcome").asText()).isEqualTo("SUCCEEDED");
            });
  }

  @Test
  void malformedFilesLandInFailedWithTheLineAndColumnOfTheProblem() throws Exception {
    HostConfig config = HostConfig.write(dir, "", "");
    start(config, "host");
    drop(config.spool(), "broken.json", "{\n  \"type\": \"command\",\n  \"params\": {\"x\": }\n}");
    drop(config.spool(), "typo.json", "{\"type\": \"command\",\n \"retries\": 3}");
    drop(config.spool(), "fine.json", "{\"type\": \"command\", \"params\": {\"shell\": \"true\"}}");
    Path failed = config.spool().resolve("failed");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Files.exists(failed.resolve("broken.error"))
                    && Files.exists(failed.resolve("typo.error"))
                    && jobFiles(config.spool().resolve("done")).contains("fine.json"));
    assertThat(jobFiles(failed)).containsExactly("broken.json", "typo.json");
    assertThat(Files.readString(failed.resolve("broken.error")))
        .contains("incoming/broken.json")
        .contains("invalid JSON at line 3 column");
    assertThat(Files.readString(failed.resolve("typo.error")))
        .contains("unknown key \"retries\" at line 2 column 2");
  }

  @Test
  void filesRunningWhenTheHostIsKilledAreAllDoneAfterARestart() {
    HostConfig config = HostConfig.write(dir, "max_workers = 4", "");
    for (String name : names(24)) {
      drop(config.spool(), name, "{\"type\": \"command\", \"params\": {\"shell\": \"sleep 0.4\"}}");
    }
    HostProcess first = start(config, "first");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> jobFiles(config.spool().resolve("done")).size() >= 4);
    first.crash();
    int doneBefore = jobFiles(config.spool().resolve("done")).size();
    assertThat(doneBefore).as("killed while files were still waiting or running").isLessThan(24);

    start(config, "second");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> jobFiles(config.spool().resolve("done")).size() == 24);
    assertThat(jobFiles(config.spool().resolve("done"))).isEqualTo(names(24));
    assertThat(jobFiles(config.spool().resolve("failed"))).isEmpty();
    assertThat(jobFiles(config.spool().resolve("incoming"))).isEmpty();
    assertThat(jobFiles(config.spool().resolve("active"))).isEmpty();
    List<JsonNode> runs = Worklog.runs(config.file());
    assertThat(runs)
        .as("runs the kill cut short were closed at the restart")
        .noneMatch(r -> r.get("outcome").asText().equals("RUNNING"));
    assertThat(
            runs.stream()
                .filter(r -> r.get("outcome").asText().equals("SUCCEEDED"))
                .map(r -> r.get("job_id").asText())
                .toList())
        // A kill between the source's acknowledgement and the worklog's end leaves that run
        // INTERRUPTED in the worklog while its file is done; no file may succeed twice.
        .as("no file succeeded twice")
        .doesNotHaveDuplicates()
        .isSubsetOf(names(24));
  }
}
