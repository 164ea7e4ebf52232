package org.jobhost.dist.children;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.testsupport.Procs;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} counts what happens to worker JVMs (starts, recycles, crashes) and the child
 * process groups alive, as the host sees them, with real worker JVMs and a real crash.
 */
class WorkerMetricsIT {

  @TempDir Path dir;
  private HostRun run;

  @AfterEach
  void close() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void workerJvmStartsRecyclesAndCrashesAndProcessGroupsAreMetrics() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String marker = "86401." + ProcessHandle.current().pid() + "3";
    run = new HostRun(dir).marker(marker);
    Files.copy(Tree.root().resolve("plugins/web.jar"), dir.resolve("plugins/web.jar"));
    // One slot: ok, ok (recycled after 2 jobs), a crash (exit), ok, then a command that stays.
    run.job("a", "probe", 0, "action", "ok")
        .job("b", "probe", 0, "action", "ok")
        .job("crash", "probe", 0, "action", "exit:3")
        .job("c", "probe", 0, "action", "ok")
        .job("stay", "command", 0, "argv", "sleep " + marker)
        .toml("[types.probe]\nisolation = \"process\"\n")
        .toml("[workers]\nmax_jobs = 2\n")
        .toml("[plugins.web]\nlisten = \"127.0.0.1:" + port + "\"\n");
    run.start("max_workers = 1");

    Map<String, String> o = run.awaitOutcomes(4, Duration.ofSeconds(90));
    assertThat(o.get("crash")).startsWith("FAILED");
    await().atMost(Duration.ofSeconds(30)).until(() -> !Procs.withCommandLine(marker).isEmpty());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Map<String, Double> m = samples(get(port, "/metrics"));
              assertThat(m.get("jobhost_worker_jvm_crashes_total")).isEqualTo(1.0);
              assertThat(m.get("jobhost_worker_jvm_recycles_total"))
                  .as("the first worker ran a and b, then was recycled")
                  .isGreaterThanOrEqualTo(1.0);
              assertThat(m.get("jobhost_worker_jvm_starts_total"))
                  .as("a, after the recycle, after the crash")
                  .isGreaterThanOrEqualTo(3.0);
              assertThat(m.get("jobhost_worker_jvm_kills_total")).isEqualTo(0.0);
              // The command's group, and the worker JVM kept warm for the next probe job.
              assertThat(m.get("jobhost_process_groups"))
                  .isEqualTo(1.0 + m.get("jobhost_worker_jvms"));
              assertThat(m.get("jobhost_jobs_running")).isEqualTo(1.0);
            });
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + ": HTTP " + r.statusCode());
    }
    return r.body();
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);

  private static Map<String, Double> samples(String text) {
    Map<String, Double> out = new java.util.HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
