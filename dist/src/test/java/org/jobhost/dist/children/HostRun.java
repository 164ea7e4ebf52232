package org.jobhost.dist.children;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.Procs;
import org.jobhost.testsupport.Tree;

/**
 * One test's jobhost installation on the real tree: a temporary directory with a plugins dir (the
 * tree's command plugin and the probe plugin), a jobs file, a results file and a config; starts
 * {@code bin/jobhost run --config} and kills what it started when closed. Not thread-safe.
 */
final class HostRun {

  final Path dir;
  final Path jobs;
  final Path results;
  final Path out;
  private final List<HostProcess> started = new ArrayList<>();
  private final StringBuilder extraToml = new StringBuilder();
  private final List<String> jobLines = new ArrayList<>();
  private final List<String> markers = new ArrayList<>();
  private Process host;

  HostRun(Path dir) throws IOException {
    this.dir = dir;
    this.jobs = dir.resolve("jobs.txt");
    this.results = dir.resolve("results.txt");
    this.out = dir.resolve("host.out");
    Path plugins = dir.resolve("plugins");
    Files.createDirectories(plugins);
    Files.copy(Tree.root().resolve("plugins/command.jar"), plugins.resolve("command.jar"));
    ProbePlugin.build(plugins);
  }

  /** Adds a job: {@code params} as key, value pairs. */
  HostRun job(String id, String type, long timeoutMs, String... params) {
    StringBuilder b = new StringBuilder(id + "\t" + type + "\t" + timeoutMs);
    for (int i = 0; i + 1 < params.length; i += 2) {
      b.append('\t').append(params[i]).append('=').append(params[i + 1]);
    }
    jobLines.add(b.toString());
    return this;
  }

  /** Adds {@code n} probe jobs, {@code <prefix>0} to {@code <prefix><n-1>}, with {@code action}. */
  HostRun probeJobs(String prefix, int n, String action) {
    for (int i = 0; i < n; i++) {
      job(prefix + i, "probe", 0, "action", action);
    }
    return this;
  }

  /** A command-line string whose processes {@link #close()} kills (a unique sleep length). */
  HostRun marker(String marker) {
    markers.add(marker);
    return this;
  }

  /** Adds TOML after the generated top-level keys (sections). */
  HostRun toml(String text) {
    extraToml.append(text).append('\n');
    return this;
  }

  /** Writes the files and starts the host with {@code topLevel} keys first. */
  Process start(String topLevel) throws IOException {
    Files.write(jobs, jobLines, StandardCharsets.UTF_8);
    String toml =
        topLevel
            + "\nidle_time = \"100ms\"\n"
            + HostConfig.directories(dir, dir.resolve("plugins"))
            + extraToml
            + "\n[plugins.probe]\njobs = \""
            + jobs
            + "\"\nresults = \""
            + results
            + "\"\n";
    Path config = dir.resolve("jobhost.toml");
    Files.writeString(config, toml, StandardCharsets.UTF_8);
    return launch(config);
  }

  private Process launch(Path config) {
    HostProcess h =
        HostProcess.command("run", "--config", config.toString())
            .config(config)
            .output(out)
            .appendOutput()
            .launch();
    started.add(h);
    host = h.process();
    return host;
  }

  /** Starts the host again with the same configuration and no jobs. */
  Process startAgainWithoutJobs() throws IOException {
    Files.writeString(jobs, "", StandardCharsets.UTF_8);
    return launch(dir.resolve("jobhost.toml"));
  }

  Process host() {
    return host;
  }

  /** The host's combined output so far. */
  String log() {
    try {
      return Files.isRegularFile(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Outcomes recorded by the source: job id to "KIND<TAB>message<TAB>output". */
  Map<String, String> outcomes() {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      if (Files.isRegularFile(results)) {
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
          int tab = line.indexOf('\t');
          if (tab > 0) {
            m.put(line.substring(0, tab), line.substring(tab + 1));
          }
        }
      }
    } catch (IOException e) {
      // partly written; the caller awaits again
    }
    return m;
  }

  Map<String, String> awaitOutcomes(int n, Duration max) {
    await().atMost(max).pollInterval(Duration.ofMillis(50)).until(() -> outcomes().size() >= n);
    return outcomes();
  }

  /**
   * Waits (30 s at most) until the host's record of process groups, {@code var/process-groups},
   * contains every one of {@code entries}: from then on those groups are the host's to clean up.
   */
  void awaitGroupsRecorded(String... entries) {
    Path record = dir.resolve("var/process-groups");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              if (!Files.isRegularFile(record)) {
                return false;
              }
              String text = Files.readString(record);
              return Stream.of(entries).allMatch(text::contains);
            });
  }

  /** Sends a signal with the real kill(1). */
  static void kill(long pid, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start().waitFor();
  }

  /** Kills every process started from this run's directory, and the hosts started. */
  void close() throws IOException, InterruptedException {
    for (HostProcess h : started) {
      Process p = h.process();
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
    List<String> all = new ArrayList<>(markers);
    all.add(dir.toString());
    for (String m : all) {
      for (long pid : Procs.withCommandLine(m)) {
        kill(pid, "KILL");
      }
    }
  }
}
