package org.jobhost.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.reliability.support.HostDir;
import org.jobhost.reliability.support.ProcSample;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running part of the bad-input catalogue: one daemon gets misbehaving plugins (real jars),
 * corrupt jars and bad spool files at once, next to good jobs. Each bad thing is reported naming
 * itself and the fix, the daemon stays up and the good jobs all succeed. The table in {@code
 * reliability/README.md} lists every case.
 */
class BadInputIT {

  private static final String GOOD = "{\"type\": \"command\", \"params\": {\"argv\": \"true\"}}";

  @TempDir Path dir;

  @Test
  void misbehavingPluginsCorruptJarsAndBadSpoolFilesLeaveTheDaemonUpAndGoodJobsRunning()
      throws Exception {
    HostDir host = HostDir.write(dir, "max_workers = 4", "");
    Path plugins = host.plugins();
    TestPlugins.throwingSources(plugins);
    TestPlugins.throwsInRunAndLeaks(plugins);
    Files.write(plugins.resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 9, 9, 9});
    Files.write(plugins.resolve("empty.jar"), new byte[0]);

    HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"));
    try (d) {
      // Bad spool files, each with the words its .error must hold.
      Map<String, List<String>> bad =
          Map.ofEntries(
              Map.entry("empty.json", List.of("empty.json")),
              Map.entry("syntax.json", List.of("invalid JSON at line 1 column")),
              Map.entry("array.json", List.of("a job file holds one JSON object")),
              Map.entry("no-type.json", List.of("has no \"type\"; add one such as \"command\"")),
              Map.entry("blank-type.json", List.of("\"type\" must be a non-empty string")),
              Map.entry("unknown-key.json", List.of("unknown key \"retries\"", "knows only")),
              Map.entry("params-array.json", List.of("\"params\" must be an object")),
              Map.entry("nested-param.json", List.of("params.x must be a string, number or")),
              Map.entry("bad-timeout.json", List.of("\"timeout\"")),
              Map.entry("attempts-range.json", List.of("\"max_attempts\" must be a whole number")),
              Map.entry("trailing.json", List.of("unexpected content after the job object")),
              Map.entry("binary.json", List.of("binary.json")),
              Map.entry("deep.json", List.of("deep.json")),
              Map.entry("no-runner.json", List.of("no runner for job type \"nosuchtype\"")),
              Map.entry("runner-throws.json", List.of("rel-run exploded")));
      host.drop("empty.json", "");
      host.drop("syntax.json", "{\"type\": \"command\",,}");
      host.drop("array.json", "[1, 2, 3]");
      host.drop("no-type.json", "{\"params\": {}}");
      host.drop("blank-type.json", "{\"type\": \"\"}");
      host.drop("unknown-key.json", "{\"type\": \"command\", \"retries\": 3}");
      host.drop("params-array.json", "{\"type\": \"command\", \"params\": [1]}");
      host.drop("nested-param.json", "{\"type\": \"command\", \"params\": {\"x\": {\"y\": 1}}}");
      host.drop("bad-timeout.json", "{\"type\": \"command\", \"timeout\": \"soon\"}");
      host.drop("attempts-range.json", "{\"type\": \"command\", \"max_attempts\": -1}");
      host.drop("trailing.json", "{\"type\": \"command\"} {\"type\": \"command\"}");
      Path incoming = host.spool().resolve("incoming");
      Files.write(incoming.resolve(".binary.tmp"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
      Files.move(incoming.resolve(".binary.tmp"), incoming.resolve("binary.json"));
      host.drop("deep.json", "[".repeat(100_000));
      host.drop("no-runner.json", "{\"type\": \"nosuchtype\"}");
      host.drop("runner-throws.json", "{\"type\": \"boom\"}");
      Files.createDirectories(incoming.resolve("a-directory.json"));
      for (int i = 0; i < 20; i++) {
        host.drop("leak-" + i + ".json", "{\"type\": \"leak\"}");
        host.drop("good-" + i + ".json", GOOD);
      }

      await("every bad file in failed/ and every good one in done/")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .failFast("the daemon exited", () -> !d.isAlive())
          .until(
              () ->
                  host.files("failed").containsAll(bad.keySet())
                      && host.files("done").size() == 40);
      for (Map.Entry<String, List<String>> e : bad.entrySet()) {
        String stem = e.getKey().substring(0, e.getKey().length() - ".json".length());
        assertThat(host.read("failed/" + stem + ".error"))
            .as("the .error of " + e.getKey())
            .contains(e.getValue());
      }
      assertThat(host.files("done")).hasSize(40);

      // Plugins that throw: each named with its reason, the daemon up.
      String log = d.log();
      assertThat(log).contains("rel-ctor").contains("rel-ctor refuses to be built");
      assertThat(log).contains("rel-init").contains("rel-init cannot start");
      assertThat(log).contains("corrupt.jar");
      assertThat(log).contains("empty.jar");
      Cli listed = d.cli("plugins");
      assertThat(listed.all()).contains("corrupt.jar").contains("empty.jar").contains("rel-ctor");

      // A source that throws on every poll is backed off, not spun: the daemon's CPU stays low.
      ProcSample before = ProcSample.of(d.pid());
      long pollErrorsBefore = count(d.log(), "rel-poll is broken");
      Thread.sleep(10_000);
      ProcSample after = ProcSample.of(d.pid());
      long pollErrors = count(d.log(), "rel-poll is broken") - pollErrorsBefore;
      long ticks = after.cpuTicks() - before.cpuTicks();
      Report.append(
          "bad-input.txt",
          String.format(
              "throwing poll: cpu_ticks_in_10s=%d poll_errors_logged_in_10s=%d"
                  + " threads_after_20_leaking_jobs=%d",
              ticks, pollErrors, after.threads()));
      assertThat(ticks).as("CPU ticks (1/100 s) of the daemon in 10 s idle").isLessThan(300);
      assertThat(pollErrors).as("poll errors logged in 10 s").isLessThan(100);
      assertThat(d.isAlive()).isTrue();
      assertThat(d.log()).contains("ready:");
    }
    // A plugin that throws in close, and leaked non-daemon threads, do not keep it from stopping.
    assertThat(d.awaitExit(Duration.ofSeconds(40))).isZero();
    assertThat(d.log()).contains("rel-close fails");
  }

  private static long count(String log, String text) {
    return log.lines().filter(l -> l.contains(text)).count();
  }

  @Test
  void aJobThatForksADaemonEscapingItsProcessGroupEndsAndTheDaemonStaysUp() throws Exception {
    HostDir host = HostDir.write(dir, "max_workers = 2", "");
    String marker = "3" + (System.nanoTime() % 100000) + ".5";
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      host.drop(
          "escape.json",
          "{\"type\": \"command\", \"timeout\": \"5s\", \"params\": {\"shell\":"
              + " \"setsid sleep "
              + marker
              + " </dev/null >/dev/null 2>&1 & echo forked\"}}");
      host.drop(
          "escape-holding-output.json",
          "{\"type\": \"command\", \"timeout\": \"5s\", \"params\": {\"shell\":"
              + " \"setsid sleep "
              + marker
              + " & echo forked\"}}");
      host.drop("after.json", GOOD);
      await("both escaping jobs ended")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  host.files("done").size() + host.files("failed").size() == 3
                      && host.files("done").contains("after.json"));
      Report.append(
          "bad-input.txt",
          "setsid escape: done="
              + host.files("done")
              + " failed="
              + host.files("failed")
              + " holding_output_error="
              + host.read("failed/escape-holding-output.error").replace('\n', ' '));
      assertThat(host.files("done")).contains("escape.json");
      assertThat(d.isAlive()).isTrue();
    } finally {
      // The escaped processes left the daemon's groups: end them by pid, found by their marker.
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.endsWith("sleep " + marker)).orElse(false))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aHookThatBlocksForeverDoesNotKeepTheBuiltInActionsOfLaterSignalsFromRunning()
      throws Exception {
    HostDir host = HostDir.write(dir, "max_workers = 2", "");
    TestPlugins.blockingHook(host.plugins());
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      d.signal("WINCH");
      d.signal("TSTP");
      await("paused although a WINCH hook blocks")
          .atMost(Duration.ofSeconds(20))
          .until(() -> d.status().get("state").asText().equalsIgnoreCase("PAUSED"));
      assertThat(d.log()).contains("rel-hook");
    }
  }

  @Test
  void aHookThatBlocksForeverIsReportedAndTheDaemonStillStops() throws Exception {
    HostDir host = HostDir.write(dir, "max_workers = 2", "");
    TestPlugins.blockingHook(host.plugins());
    HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"));
    try (d) {
      host.drop("before.json", GOOD);
      await().atMost(Duration.ofSeconds(30)).until(() -> host.files("done").size() == 1);
      d.signal("WINCH");
      d.awaitLog("rel-hook", Duration.ofSeconds(20));
      host.drop("after.json", GOOD);
      await("a job runs while the hook blocks")
          .atMost(Duration.ofSeconds(30))
          .until(() -> host.files("done").size() == 2);
      d.signal("TERM");
      int code = d.awaitExit(Duration.ofSeconds(40));
      Report.append("bad-input.txt", "blocking hook: exit after TERM=" + code);
      assertThat(Set.of(0, 143)).contains(code);
    }
  }

  @Test
  void aHugeSpoolFileEndsInFailedWithItsSize() throws Exception {
    HostDir host = HostDir.write(dir, "", "");
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      host.drop(
          "huge.json",
          "{\"type\": \"command\", \"params\": {\"x\": \"" + "a".repeat(50 << 20) + "\"}}");
      host.drop("after.json", GOOD);
      // The size cap refuses the huge file before reading it, so it may land in failed/ before
      // the good file has run: wait for both.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  host.files("failed").contains("huge.json")
                      && host.files("done").contains("after.json"));
      assertThat(d.isAlive()).isTrue();
    }
  }

  @Test
  void aNewlineInASpoolFileNameIsEscapedInTheLog() throws Exception {
    HostDir host = HostDir.write(dir, "", "");
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      host.drop("two\nlines.json", "{\"type\": \"nosuchtype\"}");
      await().atMost(Duration.ofSeconds(30)).until(() -> host.files("failed").size() == 1);
      // The job's failure is logged as it ends, which may come just after the file's move.
      d.awaitLog("two\\nlines.json", Duration.ofSeconds(30));
      assertThat(d.log()).contains("two\\nlines.json");
    }
  }

  @Test
  void aSpoolFileThatIsAFifoOrEndlessDoesNotWedgeTheSpool() throws Exception {
    HostDir host = HostDir.write(dir, "", "");
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      Path incoming = host.spool().resolve("incoming");
      Cli mk = Cli.run(List.of("mkfifo", incoming.resolve(".fifo.tmp").toString()), Map.of(), 10);
      assertThat(mk.code()).as(mk.err()).isZero();
      Files.move(incoming.resolve(".fifo.tmp"), incoming.resolve("fifo.json"));
      host.drop("after.json", GOOD);
      await("a good file after a FIFO still runs")
          .atMost(Duration.ofSeconds(30))
          .until(() -> host.files("done").contains("after.json"));
      Report.append(
          "bad-input.txt",
          "fifo: incoming="
              + host.files("incoming")
              + " active="
              + host.files("active")
              + " failed="
              + host.files("failed")
              + " error="
              + host.read("failed/fifo.error"));
      assertThat(d.isAlive()).isTrue();
    }
  }

  static String read(Path p) throws java.io.IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
