package org.jobhost.cron;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.jobhost.api.CliCommand;

/** Runs a command and keeps what it printed. */
final class CliTestSupport {

  private CliTestSupport() {}

  record Result(int code, String out, String err) {}

  static Result run(CliCommand command, String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    int code =
        command.run(
            List.of(args),
            new CliCommand.Console() {
              @Override
              public PrintWriter out() {
                return o;
              }

              @Override
              public PrintWriter err() {
                return e;
              }
            });
    o.flush();
    e.flush();
    return new Result(code, out.toString(), err.toString());
  }
}
