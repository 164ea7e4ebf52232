package org.jobhost.dist.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jobhost.dist.support.SpoolFiles.drop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobhost top} on a real terminal (tmux): it shows the slots and the running jobs,
 * refreshes, quits on {@code q} or Ctrl-C and leaves the terminal as it found it; into a pipe it
 * prints one snapshot; with no daemon it exits 7.
 */
class TopIT {

  private static final Duration SCREEN = Duration.ofSeconds(30);
  private static final Pattern CLOCK = Pattern.compile("at (\\d\\d:\\d\\d:\\d\\d)");

  @TempDir Path dir;

  @Test
  void showsSlotsAndRunningJobsRefreshesAndQuitsOnQRestoringTheTerminal() throws Exception {
    HostConfig config = HostConfig.write(dir, "max_workers = 3", "");
    try (HostProcess host = HostProcess.start(config.file(), dir.resolve("host.out"));
        Tmux tmux = new Tmux(120, 40)) {
      String sleep = "{\"type\": \"command\", \"params\": {\"shell\": \"sleep 60\"}}";
      drop(config.spool(), "long-one.json", sleep);
      drop(config.spool(), "long-two.json", sleep);
      String top =
          Tree.root().resolve("bin/jobhost")
              + " top --config "
              + config.file()
              + " --interval 500ms";
      Path before = dir.resolve("stty.before");
      Path after = dir.resolve("stty.after");
      tmux.type("stty -g > " + before + "; " + top + "; echo top-exit=$?; stty -g > " + after);

      String screen = tmux.awaitScreen("RUNNING 2", SCREEN);
      screen = tmux.awaitScreen("long-two.json", SCREEN);
      assertThat(screen).contains("slots 2/3 busy [##-]").contains("long-one.json");
      assertThat(screen).containsPattern("long-one.json +command +spool");
      String first = clock(screen);
      await("the screen refreshes")
          .atMost(SCREEN)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !clock(tmux.screen()).equals(first));

      tmux.keys("q");
      screen = tmux.awaitScreen("top-exit=0", SCREEN);
      await("the shell wrote the terminal settings after top")
          .atMost(SCREEN)
          .until(() -> Files.exists(after) && Files.size(after) > 0);
      assertThat(Files.readString(after)).isEqualTo(Files.readString(before));
      assertThat(screen).doesNotContain("RUNNING 2");
      assertThat(ProcessHandle.of(tmux.shellPid()).orElseThrow().children()).isEmpty();
      assertThat(host.isAlive()).isTrue();

      Files.delete(after);
      tmux.type(top + "; echo top-exit=$?; stty -g > " + after);
      tmux.awaitScreen("RUNNING 2", SCREEN);
      tmux.keys("C-c");
      tmux.awaitScreen("top-exit=130", SCREEN);
      await("the shell wrote the terminal settings after top")
          .atMost(SCREEN)
          .until(() -> Files.exists(after) && Files.size(after) > 0);
      assertThat(Files.readString(after)).isEqualTo(Files.readString(before));
    }
  }

  @Test
  void intoAPipeItPrintsOneSnapshotAndWithoutADaemonItExitsSeven() throws Exception {
    HostConfig config = HostConfig.write(dir, "max_workers = 2", "");
    Cli none = Cli.jobhost(config.file(), "top");
    assertThat(none.code()).as(none.err()).isEqualTo(7);
    assertThat(none.err()).contains("jobhost is not running");

    try (HostProcess host = HostProcess.start(config.file(), dir.resolve("host.out"))) {
      drop(
          config.spool(),
          "piped.json",
          "{\"type\": \"command\", \"params\": {\"shell\": \"sleep 60\"}}");
      await()
          .atMost(SCREEN)
          .until(() -> Cli.jobhost(config.file(), "top").out().contains("piped.json"));

      Cli once = Cli.jobhost(config.file(), "top");

      assertThat(once.code()).as(once.err()).isZero();
      assertThat(once.out())
          .contains("slots 1/2 busy")
          .contains("RUNNING 1")
          .contains("RATES per second")
          .doesNotContain("\u001b");
      assertThat(host.isAlive()).isTrue();
    }
  }

  private static String clock(String screen) {
    Matcher m = CLOCK.matcher(screen);
    return m.find() ? m.group(1) : "";
  }
}
