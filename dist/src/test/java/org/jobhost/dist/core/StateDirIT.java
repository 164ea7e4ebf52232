package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state directory that cannot be written is a start-up error, not a run that loses jobs. */
class StateDirIT {

  @TempDir Path dir;

  @Test
  void aStateDirectoryThatCannotBeWrittenStopsTheStartWithExitOneNamingThePath() throws Exception {
    HostConfig cfg = HostConfig.write(dir, "", "");
    Path state = Files.createDirectories(dir.resolve("var"));
    // Root writes through permission bits; an immutable directory refuses even root.
    assumeTrue(chattr("+i", state) == 0, "chattr +i works on this file system");
    try (HostProcess host = HostProcess.launch(cfg.file(), dir.resolve("out.log"))) {
      assertThat(host.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(host.log())
          .contains("state_dir " + state + " is not writable")
          .contains("make the directory writable")
          .doesNotContain("ready:");
    } finally {
      chattr("-i", state);
    }
  }

  private static int chattr(String flag, Path path) throws Exception {
    return new ProcessBuilder("chattr", flag, path.toString()).inheritIO().start().waitFor();
  }
}
