package org.jobhost.host.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScreenTest {

  private static final Instant T0 = Instant.parse("2026-12-04T03:00:00Z");

  private static Map<String, String> answer(Instant now, long shellEnded, int running) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("state", "running");
    f.put("pid", "4242");
    f.put("uptime_s", "100");
    f.put("workers_busy", Integer.toString(running));
    f.put("workers_max", "4");
    f.put("jobs_started", "12");
    f.put("now", now.toString());
    f.put("running", Integer.toString(running));
    for (int i = 1; i <= running; i++) {
      f.put("running." + i + ".id", "job-" + i);
      f.put("running." + i + ".type", "shell");
      f.put("running." + i + ".source", "spool");
      f.put("running." + i + ".started", T0.minusSeconds(65).toString());
    }
    f.put("types", "1");
    f.put("type.1.name", "shell");
    f.put("type.1.started", Long.toString(shellEnded + running));
    f.put("type.1.succeeded", Long.toString(shellEnded - 2));
    f.put("type.1.failed", "2");
    f.put("type.1.timed_out", "0");
    f.put("type.1.cancelled", "0");
    f.put("failures", "1");
    f.put("failure.1.id", "bad\u001b[2Jjob");
    f.put("failure.1.type", "shell");
    f.put("failure.1.outcome", "failed");
    f.put("failure.1.ended", T0.toString());
    f.put("failure.1.message", "exit code 3");
    return f;
  }

  /** The daemon's answer at {@code now}, as top reads it. */
  private static Snapshot snapshot(Instant now, long shellEnded, int running) {
    return Snapshot.parse(answer(now, shellEnded, running), Instant.EPOCH);
  }

  /** The screen, 120 columns and as many lines as it takes, as one string. */
  private static String screen(Snapshot before, Snapshot now) {
    return String.join("\n", Screen.render(before, now, 120, 0, null));
  }

  @Test
  void showsSlotsRunningJobsWithElapsedTimeAndLastFailures() {
    Snapshot s = snapshot(T0, 10, 2);

    assertThat(screen(null, s))
        .contains("pid 4242, running")
        .contains("slots 2/4 busy [##--]")
        .contains("RUNNING 2")
        .containsPattern("job-1 +shell +spool .* 1m05s")
        .contains("LAST FAILURES")
        .contains("exit code 3")
        .contains("average since start");
  }

  @Test
  void ratesComeFromTheChangeBetweenTwoSnapshots() {
    Snapshot before = snapshot(T0, 10, 1);
    Snapshot now = snapshot(T0.plusSeconds(2), 16, 1);

    Rates r = Rates.between(before, now);

    assertThat(r.sinceStart()).isFalse();
    assertThat(r.rows()).singleElement().satisfies(row -> assertThat(row.ended()).isEqualTo(3.0));
    assertThat(screen(before, now))
        .contains("last 2.0 s")
        .containsPattern("shell +3\\.00 +3\\.00 +0\\.00");
  }

  @Test
  void controlCharactersFromTheDaemonNeverReachTheTerminal() {
    assertThat(screen(null, snapshot(T0, 10, 0))).doesNotContain("\u001b").contains("bad?[2Jjob");
  }

  @Test
  void aShortScreenCutsTheRunningJobsFirstAndSaysHowManyMore() {
    Snapshot s = snapshot(T0, 10, 30);

    List<String> lines = Screen.render(null, s, 60, 20, null);

    assertThat(lines)
        .hasSizeLessThanOrEqualTo(20)
        .allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(60));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("... and ").endsWith(" more"));
    assertThat(lines).contains("LAST FAILURES");
  }

  @Test
  void anAnswerWithoutTheNewFieldsStillShowsTheStatus() {
    Snapshot s = Snapshot.parse(Map.of("state", "paused", "workers_max", "3"), T0);

    assertThat(s.running()).isEmpty();
    assertThat(screen(null, s)).contains("paused").contains("slots 0/3");
  }
}
