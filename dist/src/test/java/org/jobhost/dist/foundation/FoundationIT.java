package org.jobhost.dist.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.PluginJar;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled daemon as an operator runs it: real process, real signals. */
class FoundationIT {

  @TempDir Path dir;

  private HostProcess daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  /** Starts {@code bin/jobhost <args>} with its output in {@code out.log} of the test directory. */
  private HostProcess start(String... args) {
    return HostProcess.command(args).output(dir.resolve("out.log")).launch();
  }

  private static final String STATS = "SIGUSR2: completed";

  /** How long an unanswered USR2 waits before it is sent again (two in a row may merge). */
  private static final Duration ASK_AGAIN = Duration.ofSeconds(2);

  /** Sends USR2 until the last stats line matches {@code regex}; returns that line. */
  private String awaitStats(String regex, Duration max) {
    // Before the JVM reaches main, USR2 would kill it: wait until the daemon is up.
    daemon.awaitLine(" ready: ", max);
    Pattern p = Pattern.compile(regex);
    AtomicLong answered = new AtomicLong(daemon.count(STATS));
    AtomicLong asked = new AtomicLong(System.nanoTime());
    AtomicReference<String> match = new AtomicReference<>();
    daemon.signal("USR2");
    try {
      await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                long now = daemon.count(STATS);
                boolean resend = System.nanoTime() - asked.get() > ASK_AGAIN.toNanos();
                if (now == answered.get() && !resend) {
                  return false; // the answer to the last USR2 is not written yet
                }
                answered.set(now);
                List<String> lines = daemon.log().lines().filter(l -> l.contains(STATS)).toList();
                if (!lines.isEmpty() && p.matcher(lines.get(lines.size() - 1)).find()) {
                  match.set(lines.get(lines.size() - 1));
                  return true;
                }
                asked.set(System.nanoTime());
                daemon.signal("USR2");
                return false;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no stats line matching /" + regex + "/ within " + max + "; output:\n" + daemon.tail(),
          e);
    }
    return match.get();
  }

  /**
   * Starts {@code jobhost run} on {@code cfg} and waits (20 s at most) until its stats line matches
   * {@code regex}.
   */
  private void runUntilStats(Path cfg, String regex) {
    daemon = start("run", "--config", cfg.toString());
    awaitStats(regex, Duration.ofSeconds(20));
  }

  private Path config(String pluginsDir, String extra) throws IOException {
    Path file = dir.resolve("jobhost.toml");
    String toml =
        HostConfig.directoriesOnly(dir, Path.of(pluginsDir))
            + extra
            + "\n[plugins.cron]\nenabled = false\n[plugins.spool]\nenabled = false\n";
    Files.writeString(file, toml);
    return file;
  }

  private Path config(String extra) throws IOException {
    return config(Tree.root().resolve("plugins").toString(), extra);
  }

  private static String demo(String settings) {
    return "[plugins.demo]\n" + settings + "\n";
  }

  /**
   * Starts the daemon with this {@code grace_timeout} and one demo job of 60 s; waits until it
   * runs.
   */
  private void runOneLongJob(String graceTimeout) throws IOException {
    String job = demo("count = 1\nrate = 0\nwork = \"60s\"");
    runUntilStats(config("grace_timeout = \"" + graceTimeout + "\"\n" + job), "running 1 of");
  }

  @Test
  void termWithALongJobRunningExitsZeroWithinGraceTimeoutPlusOneSecond() throws Exception {
    runOneLongJob("2s");

    long t0 = System.nanoTime();
    daemon.signal("TERM");
    int code = daemon.awaitExit(Duration.ofSeconds(10));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(code).isZero();
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    assertThat(daemon.log())
        .contains("job=demo-1 type=demo attempt=1 CANCELLED")
        .contains("state STOPPING -> STOPPED");
  }

  @Test
  void aSecondTermStopsAtOnce() throws Exception {
    runOneLongJob("60s");

    daemon.signal("TERM");
    daemon.awaitLine("state RUNNING -> STOPPING", Duration.ofSeconds(5));
    daemon.signal("INT");

    assertThat(daemon.awaitExit(Duration.ofSeconds(5))).isZero();
    assertThat(daemon.log()).contains("stopping at once");
  }

  @Test
  void tstpPausesDispatchWhileTheRunningJobFinishesAndContResumes() throws Exception {
    Path cfg = config("max_workers = 1\n" + demo("count = 3\nrate = 0\nwork = \"1s\""));
    runUntilStats(cfg, "running 1 of 1");

    daemon.signal("TSTP");
    daemon.awaitLine("state RUNNING -> PAUSED", Duration.ofSeconds(5));
    daemon.awaitLine("job=demo-1 type=demo attempt=1 succeeded", Duration.ofSeconds(5));
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> daemon.count("job=demo-2 ") == 0);
    assertThat(awaitStats("running 0 of 1", Duration.ofSeconds(5))).contains("completed 1 jobs");

    daemon.signal("CONT");
    daemon.awaitLine("state PAUSED -> RUNNING", Duration.ofSeconds(5));
    daemon.awaitLine("job=demo-2 type=demo attempt=1 succeeded", Duration.ofSeconds(5));
  }

  @Test
  void hupWithAChangedMaxWorkersTakesEffectWithoutRestart() throws Exception {
    String jobs = demo("count = 0\nrate = 0\nwork = \"300ms\"");
    Path cfg = config("max_workers = 1\n" + jobs);
    runUntilStats(cfg, "running 1 of 1 workers");

    config("max_workers = 3\n" + jobs);
    daemon.signal("HUP");
    daemon.awaitLine("reload applied", Duration.ofSeconds(5));

    awaitStats("running 3 of 3 workers", Duration.ofSeconds(10));
  }

  @Test
  void hupWithABrokenFileKeepsTheOldConfiguration() throws Exception {
    String jobs = demo("count = 0\nrate = 0\nwork = \"300ms\"");
    Path cfg = config("max_workers = 2\n" + jobs);
    runUntilStats(cfg, "running 2 of 2 workers");

    Files.writeString(
        cfg,
        Files.readString(cfg).replace("max_workers = 2", "max_workers = 0\nidle_time = \"soon\""));
    daemon.signal("HUP");

    String rejected = daemon.awaitLine("reload rejected", Duration.ofSeconds(5));
    assertThat(rejected).contains("keeping the running configuration");
    assertThat(daemon.log())
        .contains("max_workers must be between 1 and 4096 (was 0) in " + cfg + " line")
        .contains("idle_time is invalid");
    awaitStats("running 2 of 2 workers", Duration.ofSeconds(10));
  }

  @Test
  void usr2LogsTheStatsLine() throws Exception {
    Path cfg = config(demo("count = 3\nrate = 0\nwork = \"0ms\""));
    daemon = start("run", "--config", cfg.toString());
    daemon.awaitLine("demo source: all 3 jobs ended", Duration.ofSeconds(20));

    String line = awaitStats("completed 3 jobs", Duration.ofSeconds(5));

    assertThat(line)
        .contains("SIGUSR2: completed 3 jobs, succeeded 3, failed 0, timed out 0, cancelled 0");
  }

  @Test
  void aThirdPartyPluginDroppedIntoPluginsLoadsAndACorruptJarBesideItIsReported() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(
        Tree.root().resolve("plugins/signal-stats.jar"), plugins.resolve("signal-stats.jar"));
    new PluginJar("bell")
        .source(
            "com.example.Bell",
            "package com.example;\n"
                + "import java.util.Set; import org.jobhost.api.*;\n"
                + "public class Bell implements SignalHook {\n"
                + "  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Bell.class);\n"
                + "  public Set<Signal> signals() { return Set.of(Signal.WINCH, Signal.QUIT); }\n"
                + "  public void onSignal(SignalEvent e, Host h) { log.info(\"third-party hook got {}\", e.signal().fullName()); }\n"
                + "}\n")
        .service("SignalHook", "com.example.Bell")
        .writeTo(plugins.resolve("bell.jar"));
    Files.write(plugins.resolve("broken.jar"), new byte[] {'P', 'K', 3, 4, 0, 0});
    Path cfg = config(plugins.toString(), "");
    daemon = start("run", "--config", cfg.toString());
    daemon.awaitLine("ready", Duration.ofSeconds(20));

    assertThat(daemon.log())
        .containsPattern("plugin=broken.jar .*broken.jar is not a readable jar");
    daemon.signal("WINCH");
    daemon.awaitLine("third-party hook got SIGWINCH", Duration.ofSeconds(5));
  }

  @Test
  void exitWhenIdleExitsZeroAfterTheLastJob() throws Exception {
    Path cfg = config(demo("count = 5\nrate = 0\nwork = \"10ms\""));
    daemon = start("run", "--exit-when-idle", "--config", cfg.toString());

    assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
    assertThat(daemon.count("type=demo attempt=1 succeeded")).isEqualTo(5);
  }

  @Test
  void checkExitsWithTheConfigurationCodeAndNamesTheProblem() throws Exception {
    Path cfg = config("max_workers = -1\n");
    daemon = start("check", "--config", cfg.toString());

    assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isEqualTo(78);
    assertThat(daemon.log())
        .contains("max_workers must be between 1 and 4096 (was -1) in " + cfg + " line 5");
  }

  @Test
  void signalsListsHooksAndReservedSignals() throws Exception {
    Path cfg = config("");
    daemon = start("signals", "--config", cfg.toString());

    assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
    assertThat(daemon.log())
        .containsPattern("USR2 +12 +yes .*signal-stats/StatsOnSignal")
        .containsPattern("QUIT +3 +no \\(JVM\\)")
        .containsPattern("TSTP +20 +yes +pause");
  }

  @Test
  void unknownCommandIsAUsageError() throws Exception {
    daemon = start("frobnicate");
    assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(daemon.log()).contains("unknown command 'frobnicate'");
  }
}
