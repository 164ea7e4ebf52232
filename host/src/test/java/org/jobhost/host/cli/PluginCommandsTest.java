package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.CliCommand;
import org.jobhost.api.PicocliCommand;
import org.jobhost.host.plugins.Contribution;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class PluginCommandsTest {

  private final StringWriter err = new StringWriter();
  private final List<String> asked = new ArrayList<>();

  @Test
  void aCallThatNamesOnePluginCommandBuildsThatOneAlone() {
    PluginCommands commands = commands();
    CommandLine root = new CommandLine(new Root());

    commands.addTo(root, "greet");

    assertThat(root.getSubcommands()).containsOnlyKeys("greet");
    assertThat(asked).containsExactly("greet");
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
    assertThat(asked).containsExactly("broken", "greet");
    assertThat(err.toString())
        .contains("the command broken of plugin p2 cannot be set up and is left out");
    assertThat(commands.names()).containsExactly("greet");
  }

  private PluginCommands commands() {
    Map<String, Contribution<CliCommand>> bound = new LinkedHashMap<>();
    bound.put("broken", new Contribution<>(new Counted("broken"), "p2"));
    bound.put("greet", new Contribution<>(new Counted("greet"), "p1"));
    return new PluginCommands(
        bound, id -> null, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
  }

  @Command(name = "jobhost")
  static final class Root {}

  /** A picocli command that notes each call for its model; the one named "broken" has none. */
  @Command
  final class Counted implements PicocliCommand {
    private final String name;

    Counted(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String summary() {
      return "the " + name + " command";
    }

    @Override
    public Object picocliCommand() {
      asked.add(name);
      if (name.equals("broken")) {
        throw new IllegalStateException("no model");
      }
      return this;
    }
  }
}
