package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, each naming the file, line, key,
 * offending value and the fix, so an operator fixes them all in one go.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final List<String> problems;

  ConfigException(Path file, List<String> problems) {
    super(render(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  /** The configuration file, or {@code null} when there was none. */
  public Path file() {
    return file;
  }

  /** Each problem, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String render(Path file, List<String> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        .append(" in the configuration")
        .append(file == null ? "" : " " + file)
        .append(':');
    for (String p : problems) {
      sb.append(System.lineSeparator()).append("  - ").append(p);
    }
    return sb.toString();
  }
}
