package org.jobhost.store.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of the job a command creates, {@code --param KEY=VALUE}, {@code --timeout D} and
 * {@code --max-attempts N}: a picocli mixin of {@code jobhost tasks add} and {@code jobhost
 * enqueue}. A bad value is a usage error of the command that mixes them in, raised when the value
 * is read. Not thread-safe (one command per process).
 */
public final class JobOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A job parameter.")
  private List<String> params = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "D", description = "The job's time limit.")
  private String timeout;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Attempts per job (0: the type's policy).")
  private Integer maxAttempts;

  /** Created by picocli for each command that mixes it in. */
  public JobOptions() {}

  /**
   * The {@code --param} pairs in the order given; a later key replaces an earlier one. The value
   * may be empty and may hold {@code =}; the key may not be empty.
   *
   * @throws ParameterException naming the option and the text that has no key
   */
  public Map<String, String> params() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : params) {
      int eq = p.indexOf('=');
      if (eq < 1) {
        throw new ParameterException(
            command.commandLine(), "--param takes KEY=VALUE (was \"" + p + "\")");
      }
      out.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return out;
  }

  /** The text of {@code --timeout} as given, or {@code null} when it was not. */
  public String timeout() {
    return timeout;
  }

  /**
   * {@code --max-attempts}, or 0 (the job type's policy) when it was not given.
   *
   * @throws ParameterException when it is below 0
   */
  public int maxAttempts() {
    if (maxAttempts == null) {
      return 0;
    }
    if (maxAttempts < 0) {
      throw new ParameterException(
          command.commandLine(), "--max-attempts must be at least 0 (was " + maxAttempts + ")");
    }
    return maxAttempts;
  }
}
