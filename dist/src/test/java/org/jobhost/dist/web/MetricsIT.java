package org.jobhost.dist.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web plugin in the assembled tree: {@code /metrics} scraped while jobs run agrees with {@code
 * jobhost status --json}, {@code /api/status} has the same fields, and a running job can be stopped
 * over HTTP.
 */
class MetricsIT {

  @TempDir Path dir;

  @Test
  void metricsScrapedWhileJobsRunAgreeWithStatusJson() {
    WebDaemon web = WebDaemon.write(dir, 2);
    try (HostProcess host = web.start()) {
      host.awaitLog("plugin=web serving http://127.0.0.1:" + web.port(), Duration.ofSeconds(10));
      web.drop("long", "sleep 60");
      for (int i = 0; i < 4; i++) {
        web.drop("ok" + i, "true");
      }
      web.drop("bad", "exit 3");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Map<String, Double> m = WebDaemon.samples(web.get("metrics"));
                assertThat(m.get("jobhost_jobs_running")).isEqualTo(1.0);
                assertThat(WebDaemon.sum(m, "jobhost_jobs_ended_total", "")).isEqualTo(5.0);
              });
      assertCountersAgree(web, status(web));
      assertThat(web.get("api/jobs")).contains("\"id\": \"long.json\"");
      assertThat(WebDaemon.samples(web.get("metrics")))
          .as("the spool publishes its waiting files through PluginContext.publishMetrics")
          .containsEntry("jobhost_spool_incoming_jobs", 0.0);

      host.signal("HUP");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Map<String, Double> m = WebDaemon.samples(web.get("metrics"));
                assertThat(m.get("jobhost_signals_received_total{signal=\"HUP\"}")).isEqualTo(1.0);
                assertThat(m.get("jobhost_reloads_total{result=\"applied\"}")).isEqualTo(1.0);
              });

      HttpResponse<String> stop = web.act("api/jobs/stop?id=long.json");
      assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          WebDaemon.samples(web.get("metrics"))
                              .get(
                                  "jobhost_jobs_ended_total{outcome=\"cancelled\",source=\"spool\","
                                      + "type=\"command\"}"))
                      .isEqualTo(1.0));
      assertCountersAgree(web, status(web));
      assertThat(host.log()).contains("job=long.json stop requested by the operator");
    }
  }

  @Test
  void apiStatusHasTheFieldsOfStatusJson() {
    WebDaemon web = WebDaemon.write(dir, 1);
    try (HostProcess host = web.start()) {
      JsonNode cli = status(web);
      JsonNode api = Worklog.parse(web.get("api/status"));

      assertThat(api.fieldNames()).toIterable().containsExactlyElementsOf(() -> cli.fieldNames());
      assertThat(api.get("pid").asLong()).isEqualTo(host.pid());
      assertThat(api.get("plugins").asText()).contains("web:loaded");
    }
  }

  private static JsonNode status(WebDaemon web) {
    Cli c = Cli.jobhost(web.config().file(), "status", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    return Worklog.parse(c.out());
  }

  /** The scrape's counters equal the status fields; jobs may still end in between, so retried. */
  private static void assertCountersAgree(WebDaemon web, JsonNode first) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode s = status(web);
              Map<String, Double> m = WebDaemon.samples(web.get("metrics"));
              assertThat(WebDaemon.sum(m, "jobhost_jobs_started_total", ""))
                  .isEqualTo(s.get("jobs_started").asDouble());
              assertThat(WebDaemon.sum(m, "jobhost_jobs_ended_total", "outcome=\"succeeded\""))
                  .isEqualTo(s.get("jobs_succeeded").asDouble());
              assertThat(WebDaemon.sum(m, "jobhost_jobs_ended_total", "outcome=\"failed\""))
                  .isEqualTo(s.get("jobs_failed").asDouble());
              assertThat(WebDaemon.sum(m, "jobhost_jobs_ended_total", "outcome=\"cancelled\""))
                  .isEqualTo(s.get("jobs_cancelled").asDouble());
              assertThat(m.get("jobhost_jobs_running")).isEqualTo(s.get("workers_busy").asDouble());
              assertThat(m.get("jobhost_worker_slots")).isEqualTo(s.get("workers_max").asDouble());
              assertThat(m.get("jobhost_jobs_retried_total"))
                  .isEqualTo(s.get("jobs_retried").asDouble());
            });
    assertThat(first.get("state").asText()).isEqualTo("running");
  }
}
