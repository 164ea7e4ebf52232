package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No signal the JVM lets a program handle ends the daemon (BUS excepted, on purpose: see
 * SignalBridge.TAKEN_AT_START), bound or not, one at a time or in a storm with jobs running.
 */
class StraySignalsIT {

  /**
   * Every signal with nothing bound to it in the bundled plugins whose default action would end a
   * JVM (USR2 is bound by signal-stats).
   */
  static final List<String> STRAY =
      List.of(
          "TRAP", "ABRT", "ALRM", "STKFLT", "XCPU", "XFSZ", "VTALRM", "PROF", "IO", "PWR", "SYS");

  /** The rest that can be caught: built-in actions, and those whose default ends nothing. */
  static final List<String> OTHERS =
      List.of(
          "USR2", "HUP", "USR1", "TSTP", "CONT", "TTIN", "TTOU", "PIPE", "CHLD", "URG", "WINCH");

  /**
   * How many signals the storm sends, about 1,000 a second or faster (the full run:
   * -Djobhost.storm.signals=10000).
   */
  static final int STORM = Integer.getInteger("jobhost.storm.signals", 2000);

  @TempDir Path dir;

  @Test
  void eachStraySignalSentWithKillIsLoggedAndTheDaemonGoesOnRunningJobs() throws Exception {
    HostConfig cfg = HostConfig.write(dir, "max_workers = 2", "");
    Spool spool = new Spool(cfg.spool());
    try (HostProcess host = HostProcess.start(cfg.file(), dir.resolve("out.log"))) {
      for (String s : STRAY) {
        host.signal(s);
        host.awaitLog("signal=SIG" + s + " received; nothing is bound", Duration.ofSeconds(10));
        assertThat(host.isAlive()).as("alive after SIG" + s).isTrue();
      }
      for (String s : OTHERS) {
        host.signal(s);
      }
      host.signal("CONT");
      spool.drop("after-signals", "echo still here");
      await().atMost(Duration.ofSeconds(30)).until(() -> spool.count("done") == 1);

      host.signal("TERM");
      assertThat(host.awaitExit(HostProcess.STOP_TIMEOUT)).isZero();
    }
  }

  @Test
  void aStormOfEverySignalWithJobsRunningLeavesTheDaemonAliveWithNoJobLost() throws Exception {
    HostConfig cfg = HostConfig.write(dir, "max_workers = 4", "");
    Spool spool = new Spool(cfg.spool());
    int jobs = 30;
    try (HostProcess host = HostProcess.start(cfg.file(), dir.resolve("out.log"))) {
      for (int i = 0; i < jobs; i++) {
        spool.drop("j" + i, "sleep 0.1; echo " + i);
      }
      List<String> all = new ArrayList<>(STRAY);
      all.addAll(List.of("USR2", "HUP", "USR1", "TTIN", "TTOU", "PIPE", "CHLD", "URG", "WINCH"));
      // bash's built-in kill: one process sends them all, about STORM per second or faster.
      String script =
          "sigs=("
              + String.join(" ", all)
              + "); n=${#sigs[@]}; pid="
              + host.pid()
              + ";"
              + " for ((i=0; i<"
              + STORM
              + "; i++)); do kill -${sigs[i % n]} $pid || exit 1;"
              + " (( i % 100 == 99 )) && sleep 0.05; done; exit 0";
      long t0 = System.nanoTime();
      Process storm = new ProcessBuilder("bash", "-c", script).inheritIO().start();
      assertThat(storm.waitFor(120, TimeUnit.SECONDS)).isTrue();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(storm.exitValue()).as("every kill found the daemon").isZero();
      System.out.printf("storm: %d signals in %d ms%n", STORM, ms);

      assertThat(host.isAlive()).isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> spool.count("done") + spool.count("failed") == jobs);
      assertThat(spool.count("done")).isEqualTo(jobs);
      Cli status = Cli.jobhost(cfg.file(), "status");
      assertThat(status.code()).as(status.out() + status.err()).isZero();
      assertThat(status.out()).contains("running");

      host.signal("TERM");
      assertThat(host.awaitExit(HostProcess.STOP_TIMEOUT)).isZero();
    }
  }
}
