package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.ConfigLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service commands against an installation where no daemon runs. */
class ServiceCommandsTest {

  @TempDir Path home;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path config;
  private Path pidFile;

  @BeforeEach
  void installation() throws IOException {
    Files.createDirectories(home.resolve("plugins"));
    pidFile = home.resolve("run").resolve("jobhost.pid");
    config = home.resolve("jobhost.toml");
    Files.writeString(config, "pid_file = \"" + pidFile + "\"\n");
  }

  private int run(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.add("--config");
    all.add(config.toString());
    Cli cli =
        new Cli(
            new ConfigLoader(home, Map.of()),
            o -> {
              throw new AssertionError("no daemon is to run");
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return cli.execute(all);
  }

  @Test
  void statusWithoutAPidFileSaysNotRunningWithLsbCode3() {
    int code = run("status");

    assertThat(code).isEqualTo(ServiceCommands.LSB_NOT_RUNNING);
    assertThat(out.toString()).isEqualTo("jobhost is not running" + System.lineSeparator());
  }

  @Test
  void statusAsJsonIsOneObject() {
    int code = run("status", "--json");

    assertThat(code).isEqualTo(ServiceCommands.LSB_NOT_RUNNING);
    assertThat(out.toString().trim()).isEqualTo("{\"state\": \"stopped\"}");
  }

  @Test
  void aPidFileNobodyHoldsIsReportedDeadWithLsbCode1() throws IOException {
    Files.createDirectories(pidFile.getParent());
    Files.writeString(pidFile, "999999\n");

    int code = run("status");

    assertThat(code).isEqualTo(ServiceCommands.LSB_DEAD_PID_FILE);
    assertThat(out.toString())
        .contains("jobhost is dead but its PID file " + pidFile + " exists (pid 999999)");
  }

  @Test
  void stoppingWhatDoesNotRunSucceeds() {
    int code = run("stop");

    assertThat(code).isEqualTo(ServiceCommands.LSB_OK);
    assertThat(out.toString()).startsWith("jobhost is not running");
  }

  @Test
  void controlCommandsWithoutADaemonExit7AndSaySo() {
    for (String command : List.of("reload", "pause", "resume", "reopen-logs")) {
      err.getBuffer().setLength(0);

      int code = run(command);

      assertThat(code).as(command).isEqualTo(ServiceCommands.LSB_ACTION_NOT_RUNNING);
      assertThat(err.toString())
          .as(command)
          .startsWith("jobhost is not running (no PID file " + pidFile + ")");
    }
  }

  @Test
  void aStalePidFileIsNamedWithItsPidOrTheLackOfOne() throws IOException {
    Files.createDirectories(pidFile.getParent());
    Files.writeString(pidFile, "999999\n");
    assertThat(run("pause")).isEqualTo(ServiceCommands.LSB_ACTION_NOT_RUNNING);
    assertThat(err.toString())
        .startsWith(
            "jobhost is not running (the PID file " + pidFile + " is stale; it named pid 999999)");

    err.getBuffer().setLength(0);
    Files.writeString(pidFile, "");
    assertThat(run("pause")).isEqualTo(ServiceCommands.LSB_ACTION_NOT_RUNNING);
    assertThat(err.toString())
        .startsWith(
            "jobhost is not running (the PID file " + pidFile + " is stale; it names no pid)");
  }

  @Test
  void resizeBelowOneIsAUsageError() {
    int code = run("resize", "0");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("jobhost resize: N must be at least 1 (was 0)");
  }

  @Test
  void resizeAboveTheLimitIsAUsageErrorNamingIt() {
    int code = run("resize", "5000");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("N must be at most 4096, the limit of max_workers (was 5000)");
  }

  @Test
  void killWithAnUnknownSignalIsAUsageError() {
    int code = run("kill", "NOPE");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("jobhost kill: ");
  }

  @Test
  void killWithoutADaemonExit7() {
    int code = run("kill", "USR2");

    assertThat(code).isEqualTo(ServiceCommands.LSB_ACTION_NOT_RUNNING);
  }

  @Test
  void aReloadOfABadFileIsRejectedWithoutAskingTheDaemon() throws IOException {
    Files.writeString(config, "max_workers = 0\n", java.nio.file.StandardOpenOption.APPEND);

    int code = run("reload");

    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString())
        .startsWith("jobhost: reload rejected: ")
        .contains("(the running configuration is kept; the daemon was not asked)");
  }
}
