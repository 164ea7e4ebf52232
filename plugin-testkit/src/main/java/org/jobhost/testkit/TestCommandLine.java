package org.jobhost.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import picocli.CommandLine;

/**
 * Runs a plugin's {@link PicocliCommand} the way {@code jobhost <name> ...} runs it, and keeps what
 * it printed: the arguments are parsed first; a usage error prints {@code jobhost <name>:
 * <message>} and the usage on standard error and exits 2 without calling {@code init}; otherwise
 * {@code init} is called with the context, the command runs (its {@code Callable}'s value is the
 * exit code), and {@code close} follows; an exception it throws prints {@code jobhost <name>
 * (plugin <id>) failed: ...} and exits 1. Needs {@code info.picocli:picocli} on the test class path
 * (the plugin has it as {@code provided}). Stateless; thread-safe.
 *
 * <pre>{@code
 * TestCommandLine.Result r =
 *     TestCommandLine.run(
 *         new GreetCommand(), TestPluginContext.builder("greeter").commandLine().build(), "world");
 * assertEquals(0, r.code());
 * assertEquals("hello world\n", r.out());
 * }</pre>
 */
public final class TestCommandLine {

  /**
   * What a command did.
   *
   * @param code the exit code
   * @param out what it printed on standard output
   * @param err what it printed on standard error
   */
  public record Result(int code, String out, String err) {}

  private TestCommandLine() {}

  /**
   * Parses {@code args}, then initialises, runs and closes {@code command} with {@code context}.
   */
  public static Result run(PicocliCommand command, PluginContext context, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    String name = command.name();
    Object picocli = command.picocliCommand();
    CommandLine cl = picocli instanceof CommandLine c ? c : new CommandLine(picocli);
    cl.setCommandName("jobhost " + name);
    cl.setOut(o);
    cl.setErr(e);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          e.println("jobhost " + name + ": " + ex.getMessage());
          ex.getCommandLine().usage(e);
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> {
          e.println("jobhost " + name + " (plugin " + context.pluginId() + ") failed: " + ex);
          return 1;
        });
    cl.setExecutionStrategy(
        parsed -> {
          Integer helped = CommandLine.executeHelpRequest(parsed);
          if (helped != null) {
            return helped;
          }
          try {
            command.init(context);
            return new CommandLine.RunLast().execute(parsed);
          } catch (CommandLine.ParameterException | CommandLine.ExecutionException x) {
            throw x;
          } catch (Exception x) {
            e.println("jobhost " + name + " (plugin " + context.pluginId() + ") failed: " + x);
            return 1;
          } finally {
            try {
              command.close();
            } catch (Exception x) {
              e.println("jobhost " + name + ": close failed: " + x);
            }
          }
        });
    int code = cl.execute(args);
    o.flush();
    e.flush();
    return new Result(code, out.toString(), err.toString());
  }
}
