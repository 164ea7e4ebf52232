package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt plugin jar costs the command line one line of stderr, not pf4j's stack trace. */
class CorruptPluginIT {

  @TempDir Path dir;

  @Test
  void aCorruptJarIsReportedInOneLineOnTheCommandsStderr() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    byte[] junk = new byte[1000];
    new Random(7).nextBytes(junk);
    Files.write(plugins.resolve("corrupt.jar"), junk);
    Path config = HostConfig.bare(dir, plugins).file();

    Cli r = Cli.jobhost(config, "plugins");

    assertThat(r.out()).contains("is not a readable jar");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Caused by");
    assertThat(r.err().lines().filter(l -> l.contains("corrupt.jar")).count())
        .isLessThanOrEqualTo(1);
  }
}
