package org.jobhost.dist.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue through the web plugin, with the daemon of the assembled tree: its depth as a metric, a
 * dead job in {@code /api/views/dead-jobs}, and retry from there.
 */
class QueueViewsIT {

  @TempDir Path dir;

  @Test
  void queueDepthIsAMetricAndADeadJobIsRetriedThroughTheApi() {
    WebDaemon web = WebDaemon.write(dir, 1);
    try (HostProcess host = web.start()) {
      Path config = web.config().file();
      assertThat(
              Cli.jobhost(config, "enqueue", "command", "--at", "+1h", "--param", "shell=true")
                  .code())
          .isZero();
      assertThat(
              Cli.jobhost(
                      config,
                      "enqueue",
                      "command",
                      "--max-attempts",
                      "1",
                      "--param",
                      "shell=exit 3")
                  .code())
          .isZero();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(web.get("api/views/dead-jobs")).contains("\"id\": 2"));
      assertThat(WebDaemon.samples(web.get("metrics")))
          .containsEntry("jobhost_source_depth{source=\"queue\"}", 1.0)
          .containsEntry("jobhost_source_depth{source=\"spool\"}", 0.0);
      assertThat(web.get("api/views/queue"))
          .contains("{\"type\": \"command\", \"state\": \"dead\", \"jobs\": 1}");

      HttpResponse<String> retry = web.act("api/views/dead-jobs/retry?key=2");

      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
      assertThat(retry.body()).isEqualTo("{\"done\": \"queued job 2 again, from attempt 1\"}");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(WebDaemon.samples(web.get("metrics")))
                      .as("the retried job ran, and failed, a second time")
                      .containsEntry(
                          "jobhost_jobs_ended_total{outcome=\"failed\",source=\"queue\","
                              + "type=\"command\"}",
                          2.0));
      assertThat(web.act("api/views/dead-jobs/retry?key=99").statusCode()).isEqualTo(404);
      assertThat(host.log()).contains("plugin=web view dead-jobs retry 2: queued job 2 again");
    }
  }
}
