package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin commands are commands like the built-in ones: listed and helped, {@code --config} and
 * {@code --set} in any position, and a name a built-in has is refused where an operator looks.
 */
class PluginCommandsIT {

  @TempDir Path dir;

  /** Where JOBHOST_CONFIG points: no file, so only a --config the host takes can succeed. */
  private Path missing() {
    return dir.resolve("missing.toml");
  }

  @Test
  void configAndSetAreTakenBeforeOrAfterAnyCommandName() {
    String g = HostConfig.write(dir, "", "").file().toString();

    Cli after = Cli.jobhost(missing(), "tasks", "list", "--config", g);
    Cli before = Cli.jobhost(missing(), "--config", g, "tasks", "list");
    Cli builtInAfter = Cli.jobhost(missing(), "signals", "--config=" + g);
    Cli builtInBefore = Cli.jobhost(missing(), "-c", g, "signals");

    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.out()).startsWith("NAME");
    assertThat(before.code()).as(before.err()).isZero();
    assertThat(before.out()).startsWith("NAME");
    assertThat(builtInAfter.code()).as(builtInAfter.err()).isZero();
    assertThat(builtInBefore.code()).as(builtInBefore.err()).isZero();
    assertThat(builtInBefore.out()).contains("USR2");

    Cli setBeforePlugin =
        Cli.jobhost(missing(), "--set", "max_workers=0", "history", "--config", g);
    Cli setAfterBuiltIn = Cli.jobhost(missing(), "--config", g, "check", "--set", "max_workers=0");
    assertThat(setBeforePlugin.code()).as(setBeforePlugin.err()).isEqualTo(78);
    assertThat(setBeforePlugin.err()).contains("max_workers");
    assertThat(setAfterBuiltIn.code()).as(setAfterBuiltIn.err()).isEqualTo(78);
  }

  @Test
  void helpListsPluginCommandsWithTheirPluginAndHelpsEach() {
    Path good = HostConfig.write(dir, "", "").file();

    Cli all = Cli.jobhost(good, "--help");
    Cli one = Cli.jobhost(good, "help", "tasks");
    Cli sub = Cli.jobhost(good, "queue", "stats", "--help");
    Cli usage = Cli.jobhost(good, "tasks", "next", "--count", "zero");

    assertThat(all.code()).isZero();
    assertThat(all.out())
        .contains("Plugin commands:")
        .containsPattern("tasks +.*\\[plugin cron\\]")
        .containsPattern("enqueue +.*\\[plugin queue\\]");
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.out()).contains("Usage: jobhost tasks").contains("next");
    assertThat(sub.code()).as(sub.err()).isZero();
    assertThat(sub.out()).contains("Usage: jobhost queue stats").contains("--json");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).startsWith("jobhost tasks: ").contains("Usage: jobhost tasks next");
  }

  @Test
  void aPluginCommandNamedLikeABuiltInFailsCheckAndIsAProblemOfItsPlugin() throws Exception {
    Path plugins =
        OneClassPlugin.build(dir, "clash", "CliCommand", "org.jobhost.test.clash.Status", STATUS);
    Path config = HostConfig.bare(dir, plugins).file();

    Cli check = Cli.jobhost(config, "check");
    Cli list = Cli.jobhost(config, "plugins");
    Cli status = Cli.jobhost(config, "status");

    assertThat(check.code()).isEqualTo(1);
    assertThat(check.out())
        .contains("clash/Status contributes the command \"status\", which is a built-in command");
    assertThat(list.out())
        .contains("problem   clash/Status contributes the command \"status\", which is a built-in");
    assertThat(status.code()).isEqualTo(3);
    assertThat(status.out() + status.err()).doesNotContain("shadowed");
  }

  @Test
  void aCallOfOnePluginCommandSetsUpThatOneAloneAndHelpSaysWhichCannotBeSetUp() throws Exception {
    Path plugins = OneClassPlugin.build(dir, "hello", "CliCommand", "t.hello.Hello", HELLO);
    OneClassPlugin.build(dir, "broken", "CliCommand", "t.broken.Broken", BROKEN);
    Path config = HostConfig.bare(dir, plugins).file();

    Cli hello = Cli.jobhost(config, "hello");
    Cli help = Cli.jobhost(config, "--help");

    assertThat(hello.code()).as(hello.err()).isZero();
    assertThat(hello.out()).isEqualTo("hello\n");
    assertThat(hello.err()).doesNotContain("broken");
    assertThat(help.code()).isZero();
    assertThat(help.out()).containsPattern("hello +says hello \\[plugin hello\\]");
    assertThat(help.err())
        .contains("the command broken of plugin broken cannot be set up and is left out");
  }

  private static final String HELLO =
      """
      package t.hello;

      import java.util.List;
      import org.jobhost.api.CliCommand;

      public final class Hello implements CliCommand {
        @Override public String name() { return "hello"; }
        @Override public String summary() { return "says hello"; }
        @Override public int run(List<String> args, Console console) {
          console.out().println("hello");
          return 0;
        }
      }
      """;

  private static final String BROKEN =
      """
      package t.broken;

      import org.jobhost.api.PicocliCommand;

      public final class Broken implements PicocliCommand {
        @Override public String name() { return "broken"; }
        @Override public String summary() { return "never set up"; }
        @Override public Object picocliCommand() {
          throw new IllegalStateException("no model");
        }
      }
      """;

  private static final String STATUS =
      """
      package org.jobhost.test.clash;

      import java.util.List;
      import org.jobhost.api.CliCommand;

      public final class Status implements CliCommand {
        @Override public String name() { return "status"; }
        @Override public String summary() { return "a shadowed status"; }
        @Override public int run(List<String> args, Console console) {
          console.out().println("shadowed");
          return 0;
        }
      }
      """;
}
