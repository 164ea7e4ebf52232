package org.jobhost.store.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json}: a picocli mixin of the listing commands that print a JSON array instead of a
 * table ({@code jobhost tasks list}, {@code tasks next}, {@code history}, {@code queue dead},
 * {@code cluster}). Not thread-safe (one command per process).
 */
public final class JsonOption {

  @Option(names = "--json", description = "Print a JSON array.")
  private boolean json;

  /** Created by picocli for each command that mixes it in. */
  public JsonOption() {}

  /** Whether {@code --json} was given. */
  public boolean isSet() {
    return json;
  }
}
