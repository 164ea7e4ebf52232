package org.jobhost.dist.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jobhost.host.cli.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher runs the control commands ({@link Cli#CONTROL_COMMANDS}, listed again in the script)
 * on the few libraries they use, without {@code --add-opens}, and every other command on all of
 * {@code lib/}. Runs the launcher script against a stand-in {@code java} that prints the arguments
 * it was given, in a stand-in installation whose {@code lib/} holds empty jars.
 */
class LauncherControlCommandsTest {

  @TempDir Path dir;
  private LauncherArgs launcher;

  @BeforeEach
  void fakeInstallation() throws IOException {
    launcher = LauncherArgs.in(dir, dir);
    Path lib = Files.createDirectories(dir.resolve("lib"));
    for (String jar :
        List.of(
            "jobhost-host-0.1.jar",
            "jobhost-plugin-api-0.1.jar",
            "picocli-4.7.7.jar",
            "tomlj-2.2.0.jar",
            "jnr-posix-3.2.5.jar",
            "sqlite-jdbc-3.54.1.0.jar",
            "pf4j-3.15.0.jar")) {
      Files.createFile(lib.resolve(jar));
    }
  }

  private List<String> jvmArgs(String... args) throws Exception {
    return launcher.of(args);
  }

  private static String classPath(List<String> jvmArgs) {
    return jvmArgs.get(jvmArgs.indexOf("-cp") + 1);
  }

  @Test
  void eachControlCommandRunsOnItsOwnLibrariesWithoutAddOpens() throws Exception {
    for (String command : Cli.CONTROL_COMMANDS) {
      List<String> args = jvmArgs("--config", "/etc/jobhost/jobhost.toml", command);
      assertThat(classPath(args))
          .as(command)
          .contains(dir.resolve("lib/jobhost-host-0.1.jar").toString())
          .contains("picocli-4.7.7.jar")
          .contains("tomlj-2.2.0.jar")
          .contains("jnr-posix-3.2.5.jar")
          .doesNotContain("sqlite-jdbc")
          .doesNotContain("pf4j")
          .doesNotContain("*");
      assertThat(args).as(command).noneMatch(a -> a.startsWith("--add-opens"));
    }
  }

  @Test
  void everyOtherBuiltInCommandAndAPluginCommandRunOnAllOfLib() throws Exception {
    List<String> others = new ArrayList<>(Cli.BUILT_IN_COMMANDS);
    others.removeAll(Cli.CONTROL_COMMANDS);
    others.addAll(List.of("history", "tasks", "help"));
    assertThat(others).contains("run", "check", "plugins", "signals");
    for (String command : others) {
      List<String> args = jvmArgs(command);
      assertThat(classPath(args)).as(command).isEqualTo(dir.resolve("lib") + "/*");
      assertThat(args).as(command).contains("--add-opens=java.base/java.io=ALL-UNNAMED");
    }
    assertThat(classPath(jvmArgs()))
        .as("no command: the usage, with the plugin commands")
        .endsWith("/*");
    assertThat(classPath(jvmArgs("--config", "status", "history")))
        .as("a configuration file named status is not the status command")
        .endsWith("/*");
  }
}
