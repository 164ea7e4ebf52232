package org.jobhost.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jobhost.reliability.support.HostDir;
import org.jobhost.reliability.support.Suite;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a spool of N jobs (a third each on the command runner, an in-process runner and
 * a worker-JVM runner), the worklog on SQLite, and the host killed with SIGKILL at a random point
 * of each of R rounds; then one last start drains the rest. Nothing may be lost; a job may run
 * twice only if it was running at a kill. Sizes: {@code reliability.kill.jobs}, {@code
 * reliability.kill.rounds}.
 */
class KillNineIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void killNineAtRandomPointsLosesNoJobAndRunsTwiceOnlyWhatRanAtAKill() throws Exception {
    int n = Suite.size("reliability.kill.jobs", 120);
    int rounds = Suite.size("reliability.kill.rounds", 3);
    long seed = Long.getLong("reliability.seed", System.nanoTime());
    Random random = new Random(seed);
    HostDir host =
        HostDir.write(
            dir,
            "max_workers = 4",
            "[types.iso]\nisolation = \"process\"\n\n[workers]\nmax_jobs = 200\n\n"
                // The worklog keeps the newest 1,000 runs by default; this test reads all of them.
                + "[plugins.cron]\nhost_name = \"reliability\"\nkeep_runs = "
                + (4L * n + 1000)
                + "\n");
    TestPlugins.sleeper(host.plugins());
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      String name = String.format("job-%05d.json", i);
      names.add(name);
      String json =
          switch (i % 3) {
            case 0 -> "{\"type\": \"command\", \"params\": {\"argv\": \"sleep 0.02\"}}";
            case 1 -> "{\"type\": \"inproc\", \"params\": {\"ms\": \"20\"}}";
            default -> "{\"type\": \"iso\", \"params\": {\"ms\": \"20\"}}";
          };
      host.drop(name, json);
    }
    List<Integer> runningAtKill = new ArrayList<>();
    long started = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      int target = (int) ((long) n * (r + 1) / (rounds + 2));
      try (HostProcess d = HostProcess.start(host.file(), dir.resolve("round-" + r + ".out"))) {
        await("round " + r + ": " + target + " jobs done")
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(20))
            .failFast("the daemon exited", () -> !d.isAlive())
            .until(() -> host.files("done").size() >= target);
        Thread.sleep(random.nextInt(200));
        runningAtKill.add(host.files("active").size());
        d.crash();
      }
    }
    try (HostProcess last = HostProcess.start(host.file(), dir.resolve("last.out"))) {
      await("every job done or failed")
          .atMost(Duration.ofMinutes(30))
          .pollInterval(Duration.ofMillis(250))
          .failFast("the daemon exited", () -> !last.isAlive())
          .until(() -> host.files("done").size() + host.files("failed").size() == n);
      // The spool moves a file to done/ before the worklog records the run's end: wait for the
      // worklog too, or the stop below may leave the last runs RUNNING (finding F7 in the README).
      await("the worklog has no open run")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  !Cli.jobhost(host.file(), "history", "--json", "--limit", "50")
                      .out()
                      .contains("\"RUNNING\""));
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    Cli history = Cli.jobhost(host.file(), "history", "--json", "--limit", "10000000");
    assertThat(history.code()).as(history.err()).isZero();
    Map<String, Integer> succeeded = new HashMap<>();
    Map<String, List<String>> outcomes = new HashMap<>();
    int interrupted = 0;
    for (JsonNode run : JSON.readTree(history.out())) {
      String outcome = run.get("outcome").asText();
      outcomes
          .computeIfAbsent(run.get("job_id").asText(), k -> new ArrayList<>())
          .add(outcome + "@" + run.get("host").asText() + ":" + run.get("message").asText());
      if (outcome.equals("SUCCEEDED")) {
        succeeded.merge(run.get("job_id").asText(), 1, Integer::sum);
      } else if (outcome.equals("INTERRUPTED")) {
        interrupted++;
      }
    }

    Set<String> withoutSuccess = new TreeSet<>(names);
    withoutSuccess.removeAll(succeeded.keySet());
    Map<String, List<String>> missing = new HashMap<>();
    withoutSuccess.forEach(j -> missing.put(j, outcomes.getOrDefault(j, List.of())));
    long doubled = succeeded.values().stream().filter(c -> c > 1).count();
    int atKills = runningAtKill.stream().mapToInt(Integer::intValue).sum();
    String figures =
        String.format(
            "kill -9: jobs=%d rounds=%d seed=%d seconds=%.1f lost=%d failed=%d"
                + " doubled=%d interrupted_runs=%d done_but_logged_interrupted=%d"
                + " active_at_kills=%s",
            n,
            rounds,
            seed,
            seconds,
            n - host.files("done").size() - host.files("failed").size(),
            host.files("failed").size(),
            doubled,
            interrupted,
            missing.size(),
            runningAtKill);
    Report.append("kill-nine.txt", figures);
    // What the daemons said about the worklog, for a run whose figures need explaining.
    try (var outs = Files.list(dir)) {
      for (Path out : outs.filter(p -> p.getFileName().toString().endsWith(".out")).toList()) {
        try (var lines = Files.lines(out)) {
          lines
              .filter(l -> l.contains("worklog") && (l.contains("ERROR") || l.contains("WARN")))
              .limit(3)
              .forEach(l -> Report.append("kill-nine.txt", "  " + out.getFileName() + ": " + l));
        }
      }
    }
    assertThat(host.files("done")).as(figures).isEqualTo(names);
    assertThat(host.files("failed")).as(figures).isEmpty();
    assertThat(host.files("active")).isEmpty();
    assertThat(host.files("incoming")).isEmpty();
    assertThat(outcomes.keySet()).as("every job has a run in the worklog").containsAll(names);
    // A kill between the source's acknowledgement (file in done/) and the worklog's end of the
    // run leaves that run INTERRUPTED while the job did succeed: allowed only for jobs that ran at
    // a kill, and only as INTERRUPTED.
    assertThat(missing.values())
        .as("jobs without a SUCCEEDED run ran at a kill: " + missing)
        .allSatisfy(runs -> assertThat(runs).allMatch(r -> r.startsWith("INTERRUPTED@")));
    assertThat(missing.size()).as(figures).isLessThanOrEqualTo(atKills);
    assertThat(doubled)
        .as("jobs run twice are at most those running at the kills: " + figures)
        .isLessThanOrEqualTo(atKills + 4L * rounds);
    assertThat(Files.exists(dir.resolve("var/jobhost.db"))).isTrue();
  }
}
