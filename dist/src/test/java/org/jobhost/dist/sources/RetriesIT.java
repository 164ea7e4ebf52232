package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jobhost.dist.support.Hosts;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Retries end to end: the host's backoff, the sources' retry, the worklog's attempts. */
class RetriesIT {

  /** backoff 1 s without jitter: attempt 2 waits 1 s, attempt 3 waits 2 s. */
  private static final String RETRY = "[retry]\nbackoff = \"1s\"\njitter = 0.0\n";

  /**
   * How much later than its backoff an attempt may start after the end of the one before, on a busy
   * test machine (the dispatcher's next turn; 3 s was missed at a load average of 26).
   */
  private static final Duration LATE = Duration.ofSeconds(5);

  @TempDir Path dir;

  @RegisterExtension final Hosts hosts = new Hosts();

  private HostProcess start(HostConfig config, String name) {
    return hosts.start(config, name);
  }

  private static List<JsonNode> ended(Path config, String subject) {
    return Worklog.runs(config, subject).stream()
        .filter(r -> !r.get("outcome").asText().equals("RUNNING"))
        .toList();
  }

  private static void assertThreeFailedAttemptsWithBackoff(List<JsonNode> runs) {
    assertThat(runs).extracting(r -> r.get("attempt").asInt()).containsExactly(1, 2, 3);
    assertThat(runs)
        .allSatisfy(
            r -> {
              assertThat(r.get("outcome").asText()).isEqualTo("FAILED");
              assertThat(r.get("exit_code").asInt()).isEqualTo(1);
            });
    for (int i = 1; i < 3; i++) {
      // The host decides the retry after the attempt started and before the worklog records its
      // end, so start to start is at least the backoff; it is not much more either.
      Duration waited =
          Duration.between(
              Worklog.time(runs.get(i - 1), "started_at"), Worklog.time(runs.get(i), "started_at"));
      Duration backoff = Duration.ofSeconds(1L << (i - 1));
      assertThat(waited)
          .as("start of attempt %d to start of attempt %d", i, i + 1)
          .isGreaterThanOrEqualTo(backoff);
      // The upper bound is counted from the end of the failed attempt: on a loaded machine the
      // attempt itself (a shell starting) can take seconds, which is not the backoff's doing.
      Duration idle =
          Duration.between(
              Worklog.time(runs.get(i - 1), "ended_at"), Worklog.time(runs.get(i), "started_at"));
      assertThat(idle)
          .as("end of attempt %d to start of attempt %d", i, i + 1)
          .isLessThan(backoff.plus(LATE));
    }
  }

  @Test
  void failingSpoolJobIsTriedThreeTimesWithBackoffAndEndsInFailed() {
    HostConfig config = HostConfig.write(dir, "", RETRY);
    start(config, "host");
    SpoolFiles.drop(
        config.spool(),
        "flaky.json",
        "{\"type\": \"command\", \"params\": {\"shell\": \"exit 1\"}, \"max_attempts\": 3}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> SpoolFiles.jobFiles(config.spool().resolve("failed")).contains("flaky.json"));
    List<JsonNode> runs = ended(config.file(), "flaky.json");
    assertThreeFailedAttemptsWithBackoff(runs);
    assertThat(runs).allSatisfy(r -> assertThat(r.get("source").asText()).isEqualTo("host"));
  }

  @Test
  void failingCronTaskIsTriedThreeTimesWithBackoff() {
    HostConfig config =
        HostConfig.write(
            dir,
            "",
            RETRY
                + "[[plugins.cron.tasks]]\nname = \"flaky\"\nschedule = \"@reboot\"\n"
                + "type = \"command\"\nmax_attempts = 3\nparams = { shell = \"exit 1\" }\n");
    start(config, "host");
    await().atMost(Duration.ofSeconds(60)).until(() -> ended(config.file(), "flaky").size() >= 3);
    List<JsonNode> runs = ended(config.file(), "flaky");
    assertThreeFailedAttemptsWithBackoff(runs);
    assertThat(runs.get(0).get("message").asText()).contains("; attempt 2 at ");
    assertThat(runs.get(2).get("message").asText()).isEqualTo("exited with code 1");
    assertThat(runs)
        .allSatisfy(
            r -> {
              assertThat(r.get("source").asText()).isEqualTo("cron");
              assertThat(r.get("task").asText()).isEqualTo("flaky");
              assertThat(r.get("job_id").asText()).isEqualTo(runs.get(0).get("job_id").asText());
            });
  }

  @Test
  void spoolRetryPendingWhenTheHostIsKilledContinuesAtItsAttemptAfterARestart() {
    HostConfig config = HostConfig.write(dir, "", "[retry]\nbackoff = \"3s\"\njitter = 0.0\n");
    HostProcess first = start(config, "first");
    SpoolFiles.drop(
        config.spool(),
        "flaky.json",
        "{\"type\": \"command\", \"params\": {\"shell\": \"exit 1\"}, \"max_attempts\": 2}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ended(config.file(), "flaky.json").size() == 1);
    first.crash();

    start(config, "second");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> SpoolFiles.jobFiles(config.spool().resolve("failed")).contains("flaky.json"));
    assertThat(ended(config.file(), "flaky.json"))
        .extracting(r -> r.get("attempt").asInt())
        .as("attempt 2 after the restart, not attempt 1 again")
        .containsExactly(1, 2);
  }
}
