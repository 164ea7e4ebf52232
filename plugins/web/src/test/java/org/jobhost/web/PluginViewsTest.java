package org.jobhost.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jobhost.api.AdminView;
import org.jobhost.api.MetricSample;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginViewsTest {

  private static final String TOKEN = "correct-horse-battery-staple";

  @TempDir Path dir;

  private final FakeHost host = ViewHost.create();
  private final WebPlugin plugin = new WebPlugin();
  private final HttpClient http = HttpClient.newHttpClient();
  private final TaskTable tasks = new TaskTable();
  private String base;

  /** A view like cron's task table: rows by name, filtered by type, with a run action. */
  static final class TaskTable implements AdminView {
    final List<String> acted = new ArrayList<>();
    volatile Map<String, String> lastFilters;

    @Override
    public String name() {
      return "tasks";
    }

    @Override
    public String title() {
      return "Cron <tasks>";
    }

    @Override
    public String key() {
      return "name";
    }

    @Override
    public List<String> filters() {
      return List.of("type");
    }

    @Override
    public List<String> columns() {
      return List.of("name", "next_fire");
    }

    @Override
    public List<String> actions() {
      return List.of("run");
    }

    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      lastFilters = filters;
      if ("bad".equals(filters.get("type"))) {
        throw new IllegalArgumentException("type \"bad\" is not a job type");
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", "nightly");
      row.put("next_fire", "2026-12-05T03:00:00Z");
      row.put("params", Map.of("argv", "<b>"));
      return List.of(row);
    }

    @Override
    public synchronized String act(String action, String key) {
      if (!key.equals("nightly")) {
        throw new NoSuchElementException("no task named \"" + key + "\"");
      }
      acted.add(action + " " + key);
      return "requested a run of task " + key;
    }
  }

  @BeforeEach
  void start() throws Exception {
    host.setViews(List.of(tasks));
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    plugin.init(
        TestPluginContext.builder("web")
            .settings("listen = \"127.0.0.1:0\"\ntoken_file = \"token\"")
            .host(host)
            .homeDirectory(dir)
            .build());
    base = "http://127.0.0.1:" + plugin.address().getPort();
  }

  @AfterEach
  void close() {
    plugin.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("X-Jobhost-Token", token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void apiViewsDescribesEachViewAPluginOffers() throws Exception {
    HttpResponse<String> r = get("/api/views");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "[{\"name\": \"tasks\", \"title\": \"Cron \\u003ctasks>\", \"key\": \"name\","
                + " \"columns\": [\"name\", \"next_fire\"], \"filters\": [\"type\"], \"actions\":"
                + " [\"run\"]}]");
  }

  @Test
  void aViewsRowsComeWithAllTheirFieldsAndOnlyItsOwnFilters() throws Exception {
    HttpResponse<String> r = get("/api/views/tasks?type=command&limit=5&since=");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"name\": \"nightly\"").contains("\"params\": {\"argv\"");
    assertThat(tasks.lastFilters).isEqualTo(Map.of("type", "command"));
  }

  @Test
  void aBadFilterIsA400NamingItAndAnUnknownViewA404NamingTheViews() throws Exception {
    HttpResponse<String> bad = get("/api/views/tasks?type=bad");
    HttpResponse<String> none = get("/api/views/nope");

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("type \\\"bad\\\" is not a job type");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("no view named \\\"nope\\\"").contains("[tasks]");
  }

  @Test
  void aViewActionNeedsPostAndTheTokenAndReachesThePlugin() throws Exception {
    HttpResponse<String> viaGet = get("/api/views/tasks/run?key=nightly");
    HttpResponse<String> noToken = post("/api/views/tasks/run?key=nightly", null);
    HttpResponse<String> wrong = post("/api/views/tasks/run?key=nightly", "guess");

    assertThat(viaGet.statusCode()).isEqualTo(405);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(tasks.acted).isEmpty();

    HttpResponse<String> ok = post("/api/views/tasks/run?key=nightly", TOKEN);

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"done\": \"requested a run of task nightly\"}");
    assertThat(tasks.acted).containsExactly("run nightly");
  }

  @Test
  void anUnknownRowIsA404AndAnActionTheViewLacksIsRefused() throws Exception {
    HttpResponse<String> row = post("/api/views/tasks/run?key=weekly", TOKEN);
    HttpResponse<String> action = post("/api/views/tasks/delete?key=nightly", TOKEN);
    HttpResponse<String> noKey = post("/api/views/tasks/run", TOKEN);

    assertThat(row.statusCode()).isEqualTo(404);
    assertThat(row.body()).contains("no task named \\\"weekly\\\"");
    assertThat(action.statusCode()).isEqualTo(404);
    assertThat(action.body()).contains("has no action \\\"delete\\\"");
    assertThat(noKey.statusCode()).isEqualTo(400);
    assertThat(noKey.body()).contains("run needs key=\\u003cthe row's name>");
    assertThat(tasks.acted).isEmpty();
  }

  @Test
  void theDashboardRendersEachViewWithItsColumnsEscapedAndActionButtons() throws Exception {
    String page = get("/").body();

    assertThat(page)
        .contains("<section class=\"view\" id=\"view-tasks\" data-view=\"tasks\"")
        .contains("<h2>Cron &lt;tasks&gt;</h2>")
        .contains("data-filter=\"type\"")
        .contains("<th>name</th><th>next_fire</th><th></th>")
        .contains("<tr data-key=\"nightly\">")
        .contains("data-action=\"run\"")
        .doesNotContain("argv");
  }

  @Test
  void theHostsOwnMetricsAreExposedUnderJobhostWithTheirLabels() throws Exception {
    host.setHostMetrics(
        List.of(
            MetricSample.counter("worker_jvm_starts_total", "Worker JVMs started", 3),
            new MetricSample(
                "source_depth",
                "Jobs waiting in a source",
                MetricSample.Kind.GAUGE,
                Map.of("source", "queue"),
                12)));

    String body = get("/metrics").body();

    assertThat(body)
        .contains("jobhost_worker_jvm_starts_total 3.0")
        .contains("jobhost_source_depth{source=\"queue\"} 12.0");
  }
}
