package org.jobhost.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jobhost.reliability.support.HostDir;
import org.jobhost.reliability.support.Suite;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signal storms against a daemon with jobs running: the built-in signals and the hookable ones that
 * have no default action, {@code reliability.storm.signals} of them in {@code
 * reliability.storm.seconds}, sent by one shell with its built-in {@code kill}.
 */
class SignalStormIT {

  /** Built-in actions, and signals whose default action would not end an unhandled JVM. */
  static final List<String> SAFE =
      List.of("TSTP", "CONT", "TTIN", "TTOU", "HUP", "USR1", "USR2", "WINCH", "URG", "CHLD");

  /** Signals that end the daemon until it handles every signal (issue 14 item 1). */
  static final List<String> DEADLY =
      List.of(
          "ALRM", "VTALRM", "PROF", "IO", "PWR", "SYS", "STKFLT", "TRAP", "ABRT", "XCPU", "XFSZ");

  @TempDir Path dir;

  @Test
  void stormOfBuiltInAndHookableSignalsLeavesTheDaemonAliveConsistentAndLosesNoJob()
      throws Exception {
    storm(SAFE);
  }

  @Test
  void stormIncludingEverySignalTheJvmLetsUsHandleLeavesTheDaemonAlive() throws Exception {
    List<String> all = new ArrayList<>(SAFE);
    all.addAll(DEADLY);
    storm(all);
  }

  private void storm(List<String> signals) throws Exception {
    int count = Suite.size("reliability.storm.signals", 1500);
    int seconds = Suite.size("reliability.storm.seconds", 6);
    int jobs = 120;
    HostDir host = HostDir.write(dir, "max_workers = 4", "");
    for (int i = 0; i < jobs; i++) {
      host.drop(
          String.format("job-%04d.json", i),
          "{\"type\": \"command\", \"params\": {\"argv\": \"sleep 0.05\"}}");
    }
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      long seed = System.nanoTime();
      Random random = new Random(seed);
      StringBuilder script = new StringBuilder();
      int chunks = Math.max(1, seconds * 20);
      int sentHup = 0;
      int sentTtin = 0;
      int sentTtou = 0;
      for (int i = 0; i < count; i++) {
        String s = signals.get(random.nextInt(signals.size()));
        sentHup += s.equals("HUP") ? 1 : 0;
        sentTtin += s.equals("TTIN") ? 1 : 0;
        sentTtou += s.equals("TTOU") ? 1 : 0;
        script.append("kill -").append(s).append(' ').append(d.pid()).append(" || exit 1\n");
        if (i % Math.max(1, count / chunks) == 0) {
          script.append("sleep 0.05\n");
        }
      }
      Path file = dir.resolve("storm.sh");
      Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
      long t0 = System.nanoTime();
      Cli sent = Cli.run(List.of("bash", file.toString()), Map.of(), 300);
      double took = (System.nanoTime() - t0) / 1e9;
      assertThat(sent.code()).as("every kill reached the daemon: " + sent.err()).isZero();
      assertThat(d.isAlive()).as(d.tail()).isTrue();

      // Settle: one CONT alone, then the state must be RUNNING, whatever the storm left.
      d.signal("CONT");
      await("resumed after the storm")
          .atMost(Duration.ofSeconds(30))
          .until(() -> d.status().get("state").asText().equalsIgnoreCase("RUNNING"));
      JsonNode status = d.status();
      int workers = status.get("workers_max").asInt();
      assertThat(workers).isBetween(1, 4 + sentTtin);
      d.signal("TSTP");
      await("paused by a lone TSTP")
          .atMost(Duration.ofSeconds(30))
          .until(() -> d.status().get("state").asText().equalsIgnoreCase("PAUSED"));
      d.signal("CONT");
      // The storm may have left one slot (TTOU clamps at 1): back to 4 to drain in bounded time.
      assertThat(d.cli("resize", "4").code()).isZero();
      await("every job done after the storm")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(250))
          .failFast("the daemon exited", () -> !d.isAlive())
          .until(() -> host.files("done").size() + host.files("failed").size() == jobs);
      long reloads = d.log().lines().filter(l -> l.contains("reload applied")).count();
      Report.append(
          "signal-storm.txt",
          String.format(
              "storm: signals=%d kinds=%s sent_in=%.1fs seed=%d hup=%d reloads_applied=%d"
                  + " ttin=%d ttou=%d workers_max_after=%d done=%d failed=%d",
              count,
              signals.size(),
              took,
              seed,
              sentHup,
              reloads,
              sentTtin,
              sentTtou,
              workers,
              host.files("done").size(),
              host.files("failed").size()));
      assertThat(host.files("failed")).isEmpty();
      assertThat(reloads).as("reloads are coalesced").isLessThanOrEqualTo(sentHup);
      assertThat(d.isAlive()).isTrue();
    }
  }

  @Test
  void pacedStateSignalsGiveExactlyTheStateTheirSequenceSays() throws Exception {
    HostDir host = HostDir.write(dir, "max_workers = 4", "");
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("paced.out"))) {
      Random random = new Random();
      int workers = 4;
      boolean paused = false;
      List<String> sequence = List.of("TSTP", "CONT", "TTIN", "TTOU");
      for (int i = 0; i < 12; i++) {
        String s = sequence.get(random.nextInt(sequence.size()));
        switch (s) {
          case "TSTP" -> paused = true;
          case "CONT" -> paused = false;
          case "TTIN" -> workers = Math.min(4096, workers + 1);
          default -> workers = Math.max(1, workers - 1);
        }
        d.signal(s);
        int w = workers;
        String state = paused ? "PAUSED" : "RUNNING";
        await("after " + s + ": " + state + " with " + w + " workers")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  JsonNode st = d.status();
                  return st.get("state").asText().equalsIgnoreCase(state)
                      && st.get("workers_max").asInt() == w;
                });
      }
    }
  }
}
