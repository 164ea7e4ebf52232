package org.jobhost.host.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments that make another jobhost JVM read the same configuration as this one: {@code
 * [--config <absolute file>] [--set key=value]...}. A worker JVM and a detached daemon are started
 * with them; the worker reads them back with {@link #parse}. Immutable; thread-safe.
 *
 * @param config the configuration file as given, or {@code null} for the default search
 * @param overrides the {@code --set} values, in order
 */
public record HostArgs(Path config, List<String> overrides) {

  /** Copies. */
  public HostArgs {
    overrides = List.copyOf(overrides);
  }

  /** The command-line arguments, the file made absolute (the new JVM may start elsewhere). */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    if (config != null) {
      args.add("--config");
      args.add(config.toAbsolutePath().normalize().toString());
    }
    for (String o : overrides) {
      args.add("--set");
      args.add(o);
    }
    return List.copyOf(args);
  }

  /** Reads what {@link #toArgs} wrote; anything else is ignored. */
  public static HostArgs parse(String[] args) {
    Path file = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--config")) {
        file = Path.of(args[i + 1]);
      } else if (args[i].equals("--set")) {
        overrides.add(args[i + 1]);
      }
    }
    return new HostArgs(file, overrides);
  }
}
