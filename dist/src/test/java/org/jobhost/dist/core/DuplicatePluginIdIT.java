package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.PluginJar;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party jar that declares the id of a bundled plugin: the bundled one loads whatever the
 * file names, the operator is told both files, and {@code strict = true} refuses to start. {@code
 * jobhost plugins} shows the running daemon's view while it runs.
 */
class DuplicatePluginIdIT {

  @TempDir Path dir;

  private Path config(Path plugins, boolean strict) {
    return HostConfig.bare(
            dir,
            plugins,
            "idle_time = \"1s\"",
            "grace_timeout = \"2s\"",
            "strict = " + strict,
            "",
            "[plugins.cron]",
            "host_name = \"it-host\"")
        .file();
  }

  private Path pluginsWithAnImpostor() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(Tree.root().resolve("plugins/cron.jar"), plugins.resolve("cron.jar"));
    Path built =
        PluginJar.forTree("cron")
            .version("9.9.9")
            .source("org.jobhost.test.fake.Fake", FAKE)
            .service("org.jobhost.api.JobRunner", "org.jobhost.test.fake.Fake")
            .build(Files.createDirectories(dir.resolve("build")));
    Files.move(built, plugins.resolve("aaa.jar"));
    return plugins;
  }

  @Test
  void theBundledPluginWinsAndTheDaemonsViewNamesBothFiles() throws Exception {
    Path plugins = pluginsWithAnImpostor();
    Path file = config(plugins, false);
    String message =
        "duplicate Plugin-Id cron: "
            + plugins.resolve("aaa.jar")
            + " and "
            + plugins.resolve("cron.jar")
            + " both declare it; "
            + plugins.resolve("cron.jar")
            + " is loaded (named after the id, as the bundled plugins are)";

    Cli check = Cli.jobhost(file, "check");

    assertThat(check.code()).isEqualTo(1);
    assertThat(check.out()).contains(message);
    try (HostProcess host = HostProcess.start(file, dir.resolve("out.log"))) {
      Cli list = Cli.jobhost(file, "plugins");

      assertThat(list.code()).as(list.err()).isZero();
      assertThat(list.out())
          .startsWith("plugins as loaded by the running daemon (pid ")
          .containsPattern("cron +0\\.1\\.0\\S* +loaded +" + plugins.resolve("cron.jar"))
          .contains("duplicate " + plugins.resolve("aaa.jar"))
          .contains(message)
          .doesNotContain("9.9.9");
      assertThat(host.log()).contains(message).doesNotContain("PluginAlreadyLoadedException");
    }
  }

  @Test
  void strictRefusesToStartOnADuplicateId() throws Exception {
    Path file = config(pluginsWithAnImpostor(), true);

    Cli run = Cli.jobhost(file, "run");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("strict = true and 1 plugins have problems");
  }

  private static final String FAKE =
      """
      package org.jobhost.test.fake;

      import java.util.Set;
      import org.jobhost.api.Job;
      import org.jobhost.api.JobContext;
      import org.jobhost.api.JobRunner;
      import org.jobhost.api.Outcome;

      public final class Fake implements JobRunner {
        @Override public Set<String> types() { return Set.of("fake"); }
        @Override public Outcome run(Job job, JobContext context) { return Outcome.succeeded(); }
      }
      """;
}
