package org.jobhost.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jobhost.api.Job;

/**
 * What a {@code command} job runs, read from its params. Immutable.
 *
 * @param jobId the job's id, for messages
 * @param command the program and its arguments; for {@code shell}, {@code /bin/sh -c <line>}
 * @param cwd the working directory as written, or {@code null} for the host's
 * @param env variables added to the inherited environment
 * @param stdin text for the child's standard input, or {@code null} for {@code /dev/null}
 */
record CommandSpec(
    String jobId, List<String> command, String cwd, Map<String, String> env, String stdin) {

  static final String ARGV = "argv";
  static final String SHELL = "shell";
  static final String CWD = "cwd";
  static final String STDIN = "stdin";
  static final String ENV_PREFIX = "env.";
  static final String ARGV_PREFIX = "argv.";

  /** Used to find a program when neither the host nor {@code env.PATH} sets PATH. */
  static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private static final String KNOWN_PARAMS = "argv, argv.N, shell, cwd, stdin and env.NAME";
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,5}");
  private static final File DEV_NULL = new File("/dev/null");

  /** Copies. */
  CommandSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /**
   * Reads a job's params, without looking at the file system.
   *
   * @throws InvalidParamsException naming the param and the fix
   */
  static CommandSpec parse(Job job) {
    String id = job.id();
    String argv = null;
    String shell = null;
    String cwd = null;
    String stdin = null;
    TreeMap<Integer, String> numbered = new TreeMap<>();
    Map<String, String> env = new TreeMap<>();
    for (Map.Entry<String, String> param : new TreeMap<>(job.params()).entrySet()) {
      String key = param.getKey();
      String value = param.getValue();
      if (!key.equals(STDIN) && value.indexOf('\0') >= 0) {
        throw new InvalidParamsException(
            id, "param " + key + " contains a NUL character, which a process cannot be given");
      }
      if (key.equals(ARGV)) {
        argv = value;
      } else if (key.equals(SHELL)) {
        shell = value;
      } else if (key.equals(CWD)) {
        cwd = value;
      } else if (key.equals(STDIN)) {
        stdin = value;
      } else if (key.startsWith(ARGV_PREFIX)) {
        String index = key.substring(ARGV_PREFIX.length());
        if (!INDEX.matcher(index).matches()) {
          throw new InvalidParamsException(
              id, "param " + key + " is unknown; number the arguments argv.0, argv.1, argv.2, ...");
        }
        numbered.put(Integer.parseInt(index), value);
      } else if (key.startsWith(ENV_PREFIX)) {
        String name = key.substring(ENV_PREFIX.length());
        if (name.isEmpty() || name.indexOf('=') >= 0) {
          throw new InvalidParamsException(
              id,
              "param "
                  + key
                  + " does not name a variable; write env.NAME with no '=' in NAME,"
                  + " such as env.LANG");
        }
        env.put(name, value);
      } else {
        throw new InvalidParamsException(
            id, "param " + key + " is unknown; a command job takes " + KNOWN_PARAMS);
      }
    }
    return new CommandSpec(id, command(id, argv, numbered, shell), cwd, env, stdin);
  }

  private static List<String> command(
      String id, String argv, TreeMap<Integer, String> numbered, String shell) {
    boolean hasArgv = argv != null || !numbered.isEmpty();
    if (hasArgv && shell != null) {
      throw new InvalidParamsException(
          id,
          "it has both argv and shell; keep argv to run a program with arguments,"
              + " or shell to run a /bin/sh command line");
    }
    if (!hasArgv && shell == null) {
      throw new InvalidParamsException(
          id,
          "it has neither argv nor shell; set argv (or argv.0, argv.1, ...) to run a program"
              + " with arguments, or shell to run a /bin/sh command line");
    }
    if (shell != null) {
      if (shell.isBlank()) {
        throw new InvalidParamsException(id, "param shell is empty; give the command line to run");
      }
      return List.of("/bin/sh", "-c", shell);
    }
    if (argv != null && !numbered.isEmpty()) {
      throw new InvalidParamsException(
          id,
          "it has both argv and argv."
              + numbered.firstKey()
              + "; use argv for one quoted line, or argv.0, argv.1, ... for exact arguments");
    }
    List<String> command;
    if (argv != null) {
      try {
        command = ArgvTokenizer.tokenize(argv);
      } catch (IllegalArgumentException e) {
        throw new InvalidParamsException(id, "param argv " + e.getMessage() + ": " + argv);
      }
      if (command.isEmpty()) {
        throw new InvalidParamsException(id, "param argv is empty; give the program to run");
      }
    } else {
      command = new ArrayList<>();
      for (Map.Entry<Integer, String> arg : numbered.entrySet()) {
        if (arg.getKey() != command.size()) {
          throw new InvalidParamsException(
              id,
              "param argv."
                  + command.size()
                  + " is missing but argv."
                  + arg.getKey()
                  + " is set; number the arguments from argv.0 without gaps");
        }
        command.add(arg.getValue());
      }
    }
    if (command.get(0).isEmpty()) {
      throw new InvalidParamsException(id, "the program name is empty; give the program to run");
    }
    return command;
  }

  /** The program as written: the first word of {@code argv}, or {@code /bin/sh}. */
  String program() {
    return command.get(0);
  }

  /**
   * The process builder for this command: the working directory resolved against {@code home}, the
   * environment, stdin, and stderr merged into stdout. Checks that the directory and the program
   * exist, so that a typo fails with a clear message before anything starts.
   *
   * @param home against which a relative {@code cwd} resolves; {@code null} for the host's working
   *     directory
   * @throws InvalidParamsException when the directory or the program is missing
   */
  ProcessBuilder processBuilder(Path home) {
    ProcessBuilder builder = new ProcessBuilder(command);
    Path dir = Path.of("").toAbsolutePath();
    if (cwd != null) {
      dir = home == null ? Path.of(cwd).toAbsolutePath() : home.resolve(cwd);
      if (!Files.isDirectory(dir)) {
        throw new InvalidParamsException(
            jobId,
            "working directory "
                + dir
                + " (param cwd) does not exist or is not a directory; create it or fix cwd");
      }
      builder.directory(dir.toFile());
    }
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectInput(
        stdin == null ? ProcessBuilder.Redirect.from(DEV_NULL) : ProcessBuilder.Redirect.PIPE);
    String path = builder.environment().getOrDefault("PATH", DEFAULT_PATH);
    requireProgram(dir, path);
    return builder;
  }

  private void requireProgram(Path dir, String path) {
    String program = program();
    if (program.indexOf('/') >= 0) {
      Path file = dir.resolve(program);
      if (!isExecutableFile(file)) {
        throw new InvalidParamsException(
            jobId,
            "program "
                + file
                + " does not exist or is not an executable file; fix the program in argv");
      }
      return;
    }
    for (String entry : path.split(":", -1)) {
      if (isExecutableFile(dir.resolve(entry).resolve(program))) {
        return;
      }
    }
    throw new InvalidParamsException(
        jobId,
        "program \""
            + program
            + "\" is not found on PATH ("
            + path
            + "); install it, give its full path in argv, or set env.PATH");
  }

  private static boolean isExecutableFile(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }
}
