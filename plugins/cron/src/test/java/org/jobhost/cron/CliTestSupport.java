package org.jobhost.cron;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.jobhost.api.PicocliCommand;
import picocli.CommandLine;

/**
 * Runs a picocli command as the host does (usage errors: the message and the usage on standard
 * error, exit 2) and keeps what it printed.
 */
final class CliTestSupport {

  private CliTestSupport() {}

  record Result(int code, String out, String err) {}

  static Result run(PicocliCommand command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    Object picocli = command.picocliCommand();
    CommandLine cl = picocli instanceof CommandLine c ? c : new CommandLine(picocli);
    cl.setOut(o);
    cl.setErr(e);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          e.println("jobhost " + command.name() + ": " + ex.getMessage());
          ex.getCommandLine().usage(e);
          return 2;
        });
    int code = cl.execute(args);
    o.flush();
    e.flush();
    return new Result(code, out.toString(), err.toString());
  }
}
