package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlConfigTest {

  @TempDir Path tmp;
  private final StringWriter err = new StringWriter();

  private ControlConfig control() {
    return new ControlConfig(new ConfigLoader(tmp, Map.of()), new PrintWriter(err, true));
  }

  @Test
  void brokenFileFallsBackToTheSettingsItStillHoldsWithAWarning() throws Exception {
    Path file = tmp.resolve("jobhost.toml");
    Files.writeString(
        file, "run_dir = \"/srv/jh/run\"\nuser = \"jobhost\"\nmax_workers = 0\nbroken = = =\n");

    Config cfg = control().load(file, List.of());

    assertThat(cfg.dirs().run()).isEqualTo(Path.of("/srv/jh/run"));
    assertThat(cfg.service().pidFile()).isEqualTo(Path.of("/srv/jh/run/jobhost.pid"));
    assertThat(cfg.service().user()).isEqualTo("jobhost");
    assertThat(err.toString())
        .contains("jobhost: warning: ")
        .contains("the configuration " + file + " does not load; finding the daemon with [")
        .contains("run_dir=/srv/jh/run");
  }

  @Test
  void deletedFileFallsBackToTheDefaults() {
    Path file = tmp.resolve("gone.toml");

    Config cfg = control().load(file, List.of("run_dir=elsewhere"));

    assertThat(cfg.dirs().run()).isEqualTo(tmp.resolve("elsewhere"));
    assertThat(err.toString()).contains("does not exist").contains("with the defaults");
  }

  @Test
  void goodFileLoadsWithoutAWarning() throws Exception {
    Path file = tmp.resolve("jobhost.toml");
    Files.writeString(file, "run_dir = \"r\"\n");

    assertThat(control().load(file, List.of()).dirs().run()).isEqualTo(tmp.resolve("r"));
    assertThat(err.toString()).isEmpty();
  }
}
