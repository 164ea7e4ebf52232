package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.ConfigLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  @TempDir Path home;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Cli.RunOptions> runs = new ArrayList<>();
  private ConfigLoader loader;
  private Path config;

  @BeforeEach
  void installation() throws IOException {
    Files.createDirectories(home.resolve("plugins"));
    config = home.resolve("jobhost.toml");
    Files.writeString(config, "max_workers = 2\n");
    loader = new ConfigLoader(home, Map.of());
  }

  private int run(String... args) {
    Cli cli =
        new Cli(
            loader,
            o -> {
              runs.add(o);
              return 0;
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return cli.execute(List.of(args));
  }

  @Test
  void runHandsTheConfigurationAndOverridesToTheDaemon() {
    int code =
        run("run", "--config", config.toString(), "--set", "max_workers=3", "--exit-when-idle");

    assertThat(code).isZero();
    assertThat(runs)
        .containsExactly(new Cli.RunOptions(loader, config, List.of("max_workers=3"), true, false));
  }

  @Test
  void runAsStartAndTheServiceFilesCallItReachesTheDaemonWithBothFlags() {
    int code = run("--config", config.toString(), "run", "--daemonized", "--exit-when-idle");

    assertThat(code).isZero();
    assertThat(runs).containsExactly(new Cli.RunOptions(loader, config, List.of(), true, true));
  }

  @Test
  void runWithAnUnknownOptionOrHelpStartsNoDaemon() {
    assertThat(run("--config", config.toString(), "run", "--frobnicate"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--frobnicate");
    assertThat(run("run", "--help")).isZero();
    assertThat(out.toString()).contains("Run the daemon in the foreground.");
    assertThat(runs).isEmpty();
  }

  @Test
  void theDaemonTopAndPluginCommandsTakeOverStraySignalsTheShortControlCommandsDoNot() {
    for (List<String> line :
        List.of(
            List.of("run"),
            List.of("--config", "status", "run", "--daemonized"),
            List.of("top"),
            List.of("check"),
            List.of("history", "--limit", "5"),
            List.<String>of(),
            List.of("--config"))) {
      assertThat(Cli.takesStraySignals(line)).as(line.toString()).isTrue();
    }
    for (List<String> line :
        List.of(List.of("status"), List.of("-c", "/etc/jobhost.toml", "stop"), List.of("kill"))) {
      assertThat(Cli.takesStraySignals(line)).as(line.toString()).isFalse();
    }
  }

  @Test
  void runAsAnotherUserBecomesAnOverride() {
    run("--config", config.toString(), "run", "--user", "jobs");

    assertThat(runs)
        .singleElement()
        .satisfies(o -> assertThat(o.overrides()).containsExactly("user=jobs"));
  }

  @Test
  void anUnknownCommandIsAUsageErrorNamingTheBuiltInOnes() {
    int code = run("--config", config.toString(), "frobnicate");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("jobhost: unknown command 'frobnicate'; built-in commands are [")
        .contains("Run 'jobhost --help' for usage.");
    assertThat(runs).isEmpty();
  }

  @Test
  void anInvalidOverrideIsAConfigurationErrorWithTheLoadersMessage() {
    int code = run("check", "--config", config.toString(), "--set", "max_workers=0");

    assertThat(code).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString()).startsWith("jobhost: ").contains("max_workers");
  }

  @Test
  void checkSaysTheConfigurationIsFine() {
    int code = run("check", "--config", config.toString());

    assertThat(out.toString()).contains("configuration " + config + ": ok");
    assertThat(code).isZero();
  }

  @Test
  void signalsListsTheBuiltInActionOfEachSignal() {
    int code = run("signals", "--config", config.toString());

    assertThat(code).isZero();
    assertThat(out.toString())
        .containsPattern("HUP +1 +yes +reload the configuration \\(a bad file keeps the old one\\)")
        .containsPattern("QUIT +3 +no \\(JVM\\) +reserved by the JVM")
        .containsPattern("USR2 +12 +yes +none: free for plugins; logged and counted");
  }

  @Test
  void versionPrintsThroughTheCommandsWriter() {
    int code = run("version");

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("jobhost ").contains("plugin API");
  }

  @Test
  void statusWithoutPicocliAnswersAsTheReadmeSays() {
    // the README's status output and LSB code for a daemon that is not running, plain and JSON
    int plain = run("--config", config.toString(), "status");
    assertThat(plain).isEqualTo(ServiceCommands.LSB_NOT_RUNNING);
    assertThat(out.toString()).isEqualTo("jobhost is not running\n");

    out.getBuffer().setLength(0);
    int json = run("status", "--json", "--config", config.toString());
    assertThat(json).isEqualTo(ServiceCommands.LSB_NOT_RUNNING);
    assertThat(out.toString()).isEqualTo("{\"state\": \"stopped\"}\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aSteeringCommandWithoutADaemonSaysNotRunning() {
    assertThat(run("--config", config.toString(), "pause"))
        .isEqualTo(ServiceCommands.LSB_ACTION_NOT_RUNNING);
  }

  @Test
  void helpOfAControlCommandStillComesFromPicocli() {
    int code = run("--config", config.toString(), "status", "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("Usage: jobhost status").contains("--json");
  }

  @Test
  void aBrokenConfigurationFileStillLetsAQuickControlCommandAnswer() throws IOException {
    Files.writeString(config, "max_workers = [\n");

    int code = run("--config", config.toString(), "status");

    assertThat(code).isEqualTo(ServiceCommands.LSB_NOT_RUNNING);
    assertThat(out.toString()).isEqualTo("jobhost is not running\n");
  }
}
