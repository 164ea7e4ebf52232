package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jobhost.host.ExitCodes;
import org.jobhost.host.config.ConfigLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The help of the commands that one class serves: {@code pause}, {@code resume}, {@code
 * reopen-logs}.
 */
class SignalRequestTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "pause       | Start no new job (like TSTP). Exit 0 done, 1 failed, 7 not running.",
        "resume      | Resume after a pause (like CONT). Exit 0 done, 1 failed, 7 not running.",
        "reopen-logs | Close and reopen the log files, for logrotate (like USR1). Exit 0 done,"
      })
  void helpNamesTheCommandAndSaysWhatItDoesAndItsExitCodes(String command, String does) {
    StringWriter out = new StringWriter();
    Cli cli =
        new Cli(
            new ConfigLoader(Path.of("/nonexistent"), Map.of()),
            o -> {
              throw new AssertionError("no daemon is to run");
            },
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true));

    int code = cli.execute(List.of(command, "--help"));

    assertThat(code).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .startsWith("Usage: jobhost " + command + " [-hV]")
        .contains(System.lineSeparator() + does)
        .contains("--set=KEY=VALUE");
  }
}
