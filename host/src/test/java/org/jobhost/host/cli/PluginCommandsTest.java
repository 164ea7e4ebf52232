package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.CliCommand;
import org.jobhost.api.PicocliCommand;
import org.jobhost.host.plugins.Contribution;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class PluginCommandsTest {

  private final StringWriter err = new StringWriter();
  private final AtomicInteger built = new AtomicInteger();

  @Test
  void aCallThatNamesOnePluginCommandBuildsThatOneAlone() {
    PluginCommands commands = commands();
    CommandLine root = new CommandLine(new Root());

    commands.addTo(root, "greet");

    assertThat(root.getSubcommands()).containsOnlyKeys("greet");
    assertThat(built).hasValue(1);
    assertThat(err.toString()).isEmpty();
    assertThat(commands.has("greet")).isTrue();
    assertThat(commands.bound("broken")).isTrue();
    assertThat(commands.has("broken")).isFalse();
  }

  @Test
  void helpBuildsEveryCommandAndSaysWhichCannotBeSetUp() {
    PluginCommands commands = commands();
    CommandLine root = new CommandLine(new Root());

    commands.addTo(root, null);

    assertThat(root.getSubcommands()).containsOnlyKeys("greet");
    assertThat(built).hasValue(2);
    assertThat(err.toString())
        .contains("the command broken of plugin p2 cannot be set up and is left out");
    assertThat(commands.names()).containsExactly("greet");
  }

  private PluginCommands commands() {
    Map<String, Contribution<CliCommand>> bound = new LinkedHashMap<>();
    bound.put("broken", new Contribution<>(new Broken(), "p2"));
    bound.put("greet", new Contribution<>(new Greet(), "p1"));
    return new PluginCommands(
        bound, id -> null, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
  }

  @Command(name = "jobhost")
  static final class Root {}

  /** A picocli command whose model counts how often it is asked for. */
  @Command(name = "greet")
  final class Greet implements PicocliCommand {
    @Override
    public String name() {
      return "greet";
    }

    @Override
    public String summary() {
      return "says hello";
    }

    @Override
    public Object picocliCommand() {
      built.incrementAndGet();
      return this;
    }
  }

  /** A command whose model cannot be built. */
  final class Broken implements PicocliCommand {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public String summary() {
      return "never set up";
    }

    @Override
    public Object picocliCommand() {
      built.incrementAndGet();
      throw new IllegalStateException("no model");
    }
  }
}
