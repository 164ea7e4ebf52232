package org.jobhost.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.jobhost.api.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSpecTest {

  private static CommandSpec parse(Map<String, String> params) {
    return CommandSpec.parse(new Job("j1", "command", params));
  }

  @Test
  void argvIsSplitWithShellQuoting() {
    assertThat(parse(Map.of("argv", "grep -e 'a b' file")).command())
        .containsExactly("grep", "-e", "a b", "file");
  }

  @Test
  void numberedArgvIsTakenExactly() {
    assertThat(
            parse(
                    Map.of(
                        "argv.0",
                        "printf",
                        "argv.1",
                        "%s\\n",
                        "argv.2",
                        "it's \"x\"",
                        "argv.3",
                        ""))
                .command())
        .containsExactly("printf", "%s\\n", "it's \"x\"", "");
  }

  @Test
  void numberedArgvFollowsNumericNotTextOrder() {
    Map<String, String> params = new java.util.HashMap<>();
    for (int i = 0; i <= 11; i++) {
      params.put("argv." + i, "a" + i);
    }
    assertThat(parse(params).command())
        .startsWith("a0", "a1", "a2")
        .endsWith("a9", "a10", "a11")
        .hasSize(12);
  }

  @Test
  void shellRunsUnderBinSh() {
    assertThat(parse(Map.of("shell", "echo $HOME | wc -c")).command())
        .containsExactly("/bin/sh", "-c", "echo $HOME | wc -c");
  }

  @Test
  void neitherArgvNorShellNamesTheJobAndTheFix() {
    assertThatThrownBy(() -> parse(Map.of("cwd", "/tmp")))
        .isInstanceOf(InvalidParamsException.class)
        .hasMessage(
            "job j1: it has neither argv nor shell; set argv (or argv.0, argv.1, ...) to run a"
                + " program with arguments, or shell to run a /bin/sh command line");
  }

  @Test
  void bothArgvAndShellNamesTheJobAndTheFix() {
    assertThatThrownBy(() -> parse(Map.of("argv.0", "ls", "shell", "ls")))
        .hasMessage(
            "job j1: it has both argv and shell; keep argv to run a program with arguments,"
                + " or shell to run a /bin/sh command line");
  }

  @Test
  void argvAndNumberedArgvTogetherAreRejected() {
    assertThatThrownBy(() -> parse(Map.of("argv", "ls", "argv.0", "ls")))
        .hasMessageStartingWith("job j1: it has both argv and argv.0;");
  }

  @Test
  void gapInNumberedArgvNamesTheMissingIndex() {
    assertThatThrownBy(() -> parse(Map.of("argv.0", "ls", "argv.2", "-l")))
        .hasMessage(
            "job j1: param argv.1 is missing but argv.2 is set; number the arguments from argv.0"
                + " without gaps");
    assertThatThrownBy(() -> parse(Map.of("argv.01", "ls")))
        .hasMessageStartingWith("job j1: param argv.01 is unknown;");
  }

  @Test
  void unknownParamIsRejectedListingTheKnownOnes() {
    assertThatThrownBy(() -> parse(Map.of("argv", "ls", "cdw", "/tmp")))
        .hasMessage(
            "job j1: param cdw is unknown; a command job takes argv, argv.N, shell, cwd, stdin"
                + " and env.NAME");
  }

  @Test
  void badArgvQuotingNamesTheParamAndValue() {
    assertThatThrownBy(() -> parse(Map.of("argv", "echo 'x")))
        .hasMessageStartingWith("job j1: param argv has an unterminated ' quote at character 6;")
        .hasMessageEndingWith(": echo 'x");
  }

  @Test
  void emptyProgramIsRejected() {
    assertThatThrownBy(() -> parse(Map.of("argv", "  ")))
        .hasMessage("job j1: param argv is empty; give the program to run");
    assertThatThrownBy(() -> parse(Map.of("argv", "'' x")))
        .hasMessage("job j1: the program name is empty; give the program to run");
    assertThatThrownBy(() -> parse(Map.of("shell", " ")))
        .hasMessage("job j1: param shell is empty; give the command line to run");
  }

  @Test
  void envKeysBecomeVariables() {
    assertThat(parse(Map.of("argv", "env", "env.A", "1", "env.B_2", "")).env())
        .containsExactlyInAnyOrderEntriesOf(Map.of("A", "1", "B_2", ""));
    assertThatThrownBy(() -> parse(Map.of("argv", "env", "env.", "1")))
        .hasMessageStartingWith("job j1: param env. does not name a variable;");
  }

  @Test
  void nulCharacterIsRejectedOutsideStdin() {
    assertThatThrownBy(() -> parse(Map.of("argv", "echo a\0b")))
        .hasMessage("job j1: param argv contains a NUL character, which a process cannot be given");
    assertThat(parse(Map.of("argv", "cat", "stdin", "a\0b")).stdin()).isEqualTo("a\0b");
  }

  @Test
  void missingWorkingDirectoryIsNamed(@TempDir Path home) {
    CommandSpec spec = parse(Map.of("argv", "ls", "cwd", "no/such/dir"));
    assertThatThrownBy(() -> spec.processBuilder(home))
        .hasMessage(
            "job j1: working directory "
                + home.resolve("no/such/dir")
                + " (param cwd) does not exist or is not a directory; create it or fix cwd");
  }

  @Test
  void relativeWorkingDirectoryResolvesAgainstHome(@TempDir Path home) throws Exception {
    java.nio.file.Files.createDirectories(home.resolve("work"));
    ProcessBuilder builder = parse(Map.of("argv", "ls", "cwd", "work")).processBuilder(home);
    assertThat(builder.directory().toPath()).isEqualTo(home.resolve("work"));
  }

  @Test
  void programMissingFromPathIsNamedWithThePath() {
    CommandSpec spec = parse(Map.of("argv", "no-such-program-42", "env.PATH", "/usr/bin:/bin"));
    assertThatThrownBy(() -> spec.processBuilder(null))
        .hasMessage(
            "job j1: program \"no-such-program-42\" is not found on PATH (/usr/bin:/bin); install"
                + " it, give its full path in argv, or set env.PATH");
  }

  @Test
  void programWithASlashMustBeAnExecutableFile(@TempDir Path home) {
    CommandSpec spec = parse(Map.of("argv", "./run.sh", "cwd", home.toString()));
    assertThatThrownBy(() -> spec.processBuilder(null))
        .hasMessage(
            "job j1: program "
                + home.resolve("./run.sh")
                + " does not exist or is not an executable file; fix the program in argv");
  }
}
