package org.jobhost.dist.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --exit-when-idle} draws its progress on stderr when that is a terminal (tmux), and
 * writes none of it into a file.
 */
class ProgressIT {

  private static final String SLEEP =
      "{\"type\": \"command\", \"params\": {\"shell\": \"sleep 1\"}}";

  @TempDir Path dir;

  @Test
  void onATerminalTheProgressLineCountsTheJobsDone() throws Exception {
    HostConfig config = HostConfig.write(dir, "max_workers = 1", "");
    for (String name : new String[] {"p1.json", "p2.json", "p3.json"}) {
      SpoolFiles.drop(config.spool(), name, SLEEP);
    }
    try (Tmux tmux = new Tmux(120, 10)) {
      tmux.type(
          Tree.root().resolve("bin/jobhost")
              + " run --exit-when-idle --config "
              + config.file()
              + " > "
              + dir.resolve("stdout.log")
              + "; echo run-exit=$?");

      tmux.awaitScreen("1 running", Duration.ofSeconds(30));
      String end = tmux.awaitScreen("run-exit=0", Duration.ofSeconds(60));

      // spool and cron both tell how many jobs wait, so the line has the total
      assertThat(end)
          .containsPattern("jobhost: 3 done of 3 \\(100%\\), 0 running, \\d+\\.\\d jobs/s, ETA 0s");
    }
  }

  @Test
  void intoAFileNoProgressIsWritten() throws Exception {
    HostConfig config = HostConfig.write(dir, "", "");
    SpoolFiles.drop(config.spool(), "q.json", SLEEP);
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");

    assertThat(ExitWhenIdle.run(config.file(), Map.of(), out.toFile(), err.toFile())).isZero();

    assertThat(Files.readString(err)).doesNotContain("jobs/s").doesNotContain("\r");
    assertThat(Files.readString(out)).contains("q.json").doesNotContain("jobs/s");
  }
}
