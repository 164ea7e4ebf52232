package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload is applied only if every plugin whose section changed accepts its new settings. */
class ReloadRejectedIT {

  private static final String PICKY =
      String.join(
          "\n",
          "package org.jobhost.test.picky;",
          "import java.util.Set;",
          "import org.jobhost.api.*;",
          "public class Picky implements SignalHook {",
          "  private static final org.slf4j.Logger log =",
          "      org.slf4j.LoggerFactory.getLogger(Picky.class);",
          "  public Set<Signal> signals() { return Set.of(Signal.WINCH); }",
          "  public void onSignal(SignalEvent e, Host h) {}",
          "  public void validateSettings(PluginSettings s) {",
          "    String level = s.string(\"level\", \"low\");",
          "    if (!level.equals(\"low\") && !level.equals(\"high\")) {",
          "      throw new SettingsException(\"level\", \"level must be low or high (was \" + level",
          "          + \"); set [plugins.picky] level to one of them\");",
          "    }",
          "  }",
          "  public void settingsChanged(PluginSettings s) {",
          "    log.info(\"picky now has level={}\", s.string(\"level\", \"low\"));",
          "  }",
          "}",
          "");

  @TempDir Path dir;

  private Path config(Path plugins, String level) {
    return HostConfig.bare(
            dir, plugins, "idle_time = \"1s\"", "", "[plugins.picky]", "level = \"" + level + "\"")
        .file();
  }

  @Test
  void aPluginThatRefusesItsNewSectionRejectsTheWholeReloadWithItsReason() throws Exception {
    Path plugins =
        OneClassPlugin.build(dir, "picky", "SignalHook", "org.jobhost.test.picky.Picky", PICKY);
    Path file = config(plugins, "low");
    try (HostProcess host = HostProcess.start(file, dir.resolve("out.log"))) {
      config(plugins, "bad");
      Cli rejected = Cli.jobhost(file, "reload");

      assertThat(rejected.code()).as(rejected.out() + rejected.err()).isEqualTo(1);
      assertThat(rejected.err())
          .contains("rejected")
          .contains("picky: level must be low or high (was bad)");
      assertThat(Cli.jobhost(file, "status").out()).contains("rejected at");
      assertThat(host.log()).doesNotContain("picky now has level=bad");

      config(plugins, "high");
      Cli applied = Cli.jobhost(file, "reload");

      assertThat(applied.code()).as(applied.out() + applied.err()).isZero();
      host.awaitLog("picky now has level=high", Duration.ofSeconds(10));
    }
  }
}
