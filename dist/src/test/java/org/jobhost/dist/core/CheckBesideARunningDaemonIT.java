package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobhost check} while the daemon runs a job of each bundled source: the sources are started
 * only to be checked, so none of them takes the daemon's running jobs for the leftovers of a crash
 * (a cron run closed as INTERRUPTED, a queue job queued again, a spool file moved back to {@code
 * incoming/} to run a second time).
 */
class CheckBesideARunningDaemonIT {

  @TempDir Path dir;

  @Test
  void checkLeavesTheRunningJobsOfEverySourceAlone() {
    HostConfig config =
        HostConfig.write(
            dir,
            "max_workers = 4",
            """
            [[plugins.cron.tasks]]
            name = "long"
            schedule = "* * * * * *"
            type = "command"
            params = { shell = "sleep 60" }
            """);
    try (HostProcess host = HostProcess.start(config.file(), dir.resolve("host.out"))) {
      SpoolFiles.drop(config.spool(), "long.json", SpoolFiles.commandJob("sleep 60"));
      Cli enqueue = Cli.jobhost(config.file(), "enqueue", "command", "--param", "shell=sleep 60");
      assertThat(enqueue.code()).as(enqueue.out() + enqueue.err()).isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> host.status().path("workers_busy").asInt() == 3);

      Cli check = Cli.jobhost(config.file(), "check");

      assertThat(check.code()).as(check.out() + check.err()).isZero();
      assertThat(check.out() + check.err()).doesNotContain("was still running");
      assertThat(SpoolFiles.jobFiles(config.spool().resolve("active")))
          .containsExactly("long.json");
      assertThat(SpoolFiles.jobFiles(config.spool().resolve("incoming"))).isEmpty();
      Cli history = Cli.jobhost(config.file(), "history", "long", "--json");
      assertThat(history.out()).contains("\"outcome\":\"RUNNING\"").doesNotContain("INTERRUPTED");
    }
  }
}
