package org.jobhost.store.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --limit N}: a picocli mixin of the listing commands that print at most so many rows
 * ({@code jobhost history}, {@code queue dead}). The command creates it with its own default, which
 * the help shows. Not thread-safe (one command per process).
 */
public final class RowLimit {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N rows (default ${DEFAULT-VALUE}).")
  private int limit;

  /** {@code --limit} that is {@code fallback} unless given. */
  public RowLimit(int fallback) {
    this.limit = fallback;
  }

  /**
   * The number of rows, at least 1.
   *
   * @throws ParameterException when {@code --limit} is below 1
   */
  public int value() {
    if (limit < 1) {
      throw new ParameterException(
          command.commandLine(), "--limit must be at least 1 (was " + limit + ")");
    }
    return limit;
  }
}
