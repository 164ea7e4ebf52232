package org.jobhost.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.MetricSample;
import org.jobhost.api.Outcome;
import org.jobhost.api.SettingsException;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebPluginTest {

  private static final String TOKEN = "correct-horse-battery-staple";

  @TempDir Path dir;

  private final FakeHost host = ViewHost.create();
  private final WebPlugin plugin = new WebPlugin();
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @AfterEach
  void close() {
    plugin.close();
  }

  private void start(String toml) throws Exception {
    plugin.init(
        TestPluginContext.builder("web").settings(toml).host(host).homeDirectory(dir).build());
    if (plugin.address() != null) {
      base = "http://127.0.0.1:" + plugin.address().getPort();
    }
  }

  private void startWithToken() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    start("listen = \"127.0.0.1:0\"\ntoken_file = \"token\"");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutItsSectionThePluginOpensNoPort() throws Exception {
    start("");

    assertThat(plugin.address()).isNull();
  }

  @Test
  void metricsCountJobsByTypeAndOutcomeAndReadTheHostAtEveryScrape() throws Exception {
    start("enabled = true\nlisten = \"127.0.0.1:0\"");
    Job a = new Job("1", "command", Map.of());
    Job b = new Job("2", "command", Map.of());
    host.addRunningJob(a, "spool", Instant.now());
    plugin.jobStarted(a);
    plugin.jobStarted(b);
    plugin.jobEnded(a, Outcome.succeeded());
    plugin.jobEnded(b, Outcome.failed("exit 3"));
    run("3", "command", Instant.now());

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body())
        .contains("jobhost_jobs_started_total{source=\"spool\",type=\"command\"} 1.0")
        .contains("jobhost_jobs_started_total{source=\"unknown\",type=\"command\"} 1.0")
        .contains(
            "jobhost_jobs_ended_total{outcome=\"succeeded\",source=\"spool\",type=\"command\"}"
                + " 1.0")
        .contains(
            "jobhost_jobs_ended_total{outcome=\"failed\",source=\"unknown\",type=\"command\"}"
                + " 1.0")
        .contains("jobhost_job_duration_seconds_count{type=\"command\"} 2")
        .contains("jobhost_jobs_running 2.0")
        .contains("jobhost_worker_slots 2.0")
        .contains("jobhost_worker_slots_free 0.0")
        .contains("jobhost_jobs_retried_total 2.0")
        .contains("jobhost_signals_received_total{signal=\"HUP\"} 3.0")
        .contains("jobhost_reloads_total{result=\"rejected\"} 1.0")
        .contains("jobhost_state{state=\"running\"} 1.0")
        .contains("jobhost_plugin_info{plugin=\"cron\",state=\"degraded\",version=\"1.0\"} 1.0")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("job_id");
  }

  @Test
  void metricsThatPluginsPublishAreExposedUnderTheirPluginsPrefix() throws Exception {
    start("listen = \"127.0.0.1:0\"");
    host.setPluginMetrics(
        Map.of(
            "spool",
            List.of(
                MetricSample.gauge("incoming_jobs", "Job files waiting", 4),
                new MetricSample(
                    "picked_total", "picked", MetricSample.Kind.COUNTER, Map.of("dir", "a"), 9),
                MetricSample.gauge("incoming_jobs", "a repeat is left out", 5)),
            "jobs",
            List.of(MetricSample.counter("started_total", "clashes with a built-in", 1))));

    String body = get("/metrics").body();

    assertThat(body)
        .contains("# HELP jobhost_spool_incoming_jobs Job files waiting")
        .contains("jobhost_spool_incoming_jobs 4.0")
        .contains("jobhost_spool_picked_total{dir=\"a\"} 9.0")
        .doesNotContain("jobhost_spool_incoming_jobs 5.0")
        .doesNotContain("clashes with a built-in");
  }

  @Test
  void jobTypesBeyondTheLimitShareOneLabelValue() throws Exception {
    start("listen = \"127.0.0.1:0\"");
    for (int i = 0; i < HostMetrics.MAX_TYPES + 5; i++) {
      plugin.jobStarted(new Job("j" + i, "type" + i, Map.of()));
    }

    String body = get("/metrics").body();

    assertThat(body).contains("jobhost_jobs_started_total{source=\"unknown\",type=\"other\"} 5.0");
    assertThat(body.lines().filter(l -> l.startsWith("jobhost_jobs_started_total{")).count())
        .isEqualTo(HostMetrics.MAX_TYPES + 1);
  }

  @Test
  void apiStatusHasTheStatusFieldsWithNumbersAsNumbers() throws Exception {
    start("listen = \"127.0.0.1:0\"");

    HttpResponse<String> r = get("/api/status");

    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"state\": \"running\", \"pid\": 42, \"workers_busy\": 0, \"workers_max\": 2,"
                + " \"jobs_started\": 7, \"last_reload\": \"none\"}");
  }

  @Test
  void apiJobsListsRunningJobsWithTheirElapsedTime() throws Exception {
    start("listen = \"127.0.0.1:0\"");
    run("job-1", "command", Instant.now().minusSeconds(3));

    String body = get("/api/jobs").body();

    assertThat(body)
        .startsWith("[{\"id\": \"job-1\", \"type\": \"command\", \"source\": \"spool\"")
        .contains("\"attempt\": 1")
        .containsPattern("\"elapsed_ms\": [0-9]+");
  }

  @Test
  void apiLiveIsTheStatusAndTheJobsInOneAnswerWithABusyCountThatAgreesWithTheJobs()
      throws Exception {
    start("listen = \"127.0.0.1:0\"");
    // The host's status says 0 busy: it was read before the job started.
    run("job-1", "command", Instant.now().minusSeconds(3));
    String status = get("/api/status").body();
    String jobs = get("/api/jobs").body();

    String live = get("/api/live").body();

    assertThat(status).contains("\"workers_busy\": 0,");
    String elapsed = "\"elapsed_ms\": [0-9]+";
    assertThat(live.replaceAll(elapsed, "E"))
        .isEqualTo(
            "{\"status\": "
                + status.replace("\"workers_busy\": 0,", "\"workers_busy\": 1,")
                + ", \"jobs\": "
                + jobs.replaceAll(elapsed, "E")
                + "}");
  }

  @Test
  void theDashboardRendersRunningJobsEscapedAndNoToken() throws Exception {
    startWithToken();
    run("<b>x</b>", "command", Instant.now());

    HttpResponse<String> r = get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'");
    assertThat(r.body())
        .contains("&lt;b&gt;x&lt;/b&gt;")
        .doesNotContain("<b>x</b>")
        .doesNotContain(TOKEN)
        .contains("<script src=\"dashboard.js\" defer></script>");
    assertThat(get("/dashboard.js").body()).contains("X-Jobhost-Token");
  }

  @Test
  void actionsNeedPostAndTheToken() throws Exception {
    startWithToken();

    assertThat(get("/api/pause").statusCode()).isEqualTo(405);
    assertThat(post("/api/pause", Map.of()).statusCode()).isEqualTo(401);
    assertThat(post("/api/pause", Map.of("X-Jobhost-Token", "wrong")).statusCode()).isEqualTo(401);
    assertThat(host.calls()).isEmpty();

    HttpResponse<String> ok = post("/api/pause", Map.of("X-Jobhost-Token", TOKEN));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"state\": \"paused\"");
    assertThat(host.lifecycle()).isEqualTo(Lifecycle.PAUSED);
  }

  @Test
  void aCrossOriginActionIsRefusedEvenWithTheToken() throws Exception {
    startWithToken();

    HttpResponse<String> r =
        post("/api/resume", Map.of("X-Jobhost-Token", TOKEN, "Origin", "http://evil.example"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(host.calls()).isEmpty();
  }

  @Test
  void resizeAndStopAJobGoToTheHost() throws Exception {
    startWithToken();
    run("job 7", "command", Instant.now());
    Map<String, String> auth = Map.of("X-Jobhost-Token", TOKEN);

    assertThat(post("/api/resize?workers=5", auth).statusCode()).isEqualTo(200);
    assertThat(post("/api/resize?workers=0", auth).body())
        .contains("resize needs workers=N with N from 1 to 4096 (was \\\"0\\\")");
    assertThat(post("/api/jobs/stop?id=job%207", auth).statusCode()).isEqualTo(200);
    assertThat(post("/api/jobs/stop?id=nope", auth).statusCode()).isEqualTo(404);

    assertThat(host.calls()).containsExactly("resize 5", "stopJob job 7", "stopJob nope");
  }

  @Test
  void withoutATokenFileActionsAreOff() throws Exception {
    start("listen = \"127.0.0.1:0\"");

    HttpResponse<String> r = post("/api/pause", Map.of("X-Jobhost-Token", "anything-at-all"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("set [plugins.web] token_file");
  }

  @Test
  void aTokenFileThatEveryoneMayReadIsRefused() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> start("listen = \"127.0.0.1:0\"\ntoken_file = \"token\""))
        .hasMessageContaining("is readable by every user; run chmod 600");
  }

  @Test
  void aHostNameAsListenAddressIsRefusedNamingTheFix() {
    assertThatThrownBy(() -> start("listen = \"localhost:9320\""))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.web.listen must name an IP address, not a host name")
        .hasMessageContaining("write \"127.0.0.1:9320\" for loopback");
  }

  @Test
  void aReloadThatTurnsServingOffClosesThePort() throws Exception {
    start("listen = \"127.0.0.1:0\"");
    assertThat(plugin.address()).isNotNull();

    // listen removed from the section: the dashboard stops serving
    plugin.settingsChanged(TestPluginContext.builder("web").build().settings());

    assertThat(plugin.address()).isNull();
  }

  private void run(String id, String type, Instant started) {
    host.addRunningJob(new Job(id, type, Map.of()), "spool", started);
  }
}
