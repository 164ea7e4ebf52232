package org.jobhost.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

class TestCommandLineTest {

  /** Records its life; greets. */
  static final class Greet implements PicocliCommand {
    final List<String> calls = new ArrayList<>();

    @Override
    public void init(PluginContext context) {
      calls.add("init " + context.pluginId());
    }

    @Override
    public void close() {
      calls.add("close");
    }

    @Override
    public String name() {
      return "greet";
    }

    @Override
    public String summary() {
      return "say hello";
    }

    @Override
    public Object picocliCommand() {
      return new Options();
    }

    @Command(name = "greet", mixinStandardHelpOptions = true)
    final class Options implements Callable<Integer> {
      @Spec CommandSpec spec;

      @Parameters(index = "0")
      String who;

      @Override
      public Integer call() {
        if (who.isBlank()) {
          throw new CommandLine.ParameterException(spec.commandLine(), "WHO must not be blank");
        }
        calls.add("run");
        spec.commandLine().getOut().println("hello " + who);
        return who.equals("nobody") ? 1 : 0;
      }
    }
  }

  private final PluginContext context = TestPluginContext.builder("greeter").commandLine().build();

  @Test
  void aParsedCommandIsInitialisedRunAndClosed() {
    Greet g = new Greet();

    TestCommandLine.Result r = TestCommandLine.run(g, context, "world");

    assertThat(r).isEqualTo(new TestCommandLine.Result(0, "hello world\n", ""));
    assertThat(g.calls).containsExactly("init greeter", "run", "close");
  }

  @Test
  void aUsageErrorExitsTwoWithTheUsageAndNeverInitialises() {
    Greet g = new Greet();

    TestCommandLine.Result r = TestCommandLine.run(g, context);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("jobhost greet: Missing required parameter")
        .contains("Usage: jobhost greet");
    assertThat(g.calls).isEmpty();
  }

  @Test
  void aParameterExceptionFromTheCommandIsAUsageErrorToo() {
    TestCommandLine.Result r = TestCommandLine.run(new Greet(), context, " ");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("jobhost greet: WHO must not be blank");
  }

  @Test
  void theCommandsOwnExitCodeIsKept() {
    assertThat(TestCommandLine.run(new Greet(), context, "nobody").code()).isEqualTo(1);
  }
}
