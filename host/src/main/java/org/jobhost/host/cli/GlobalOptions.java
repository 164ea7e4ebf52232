package org.jobhost.host.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's own options, {@code --config FILE} ({@code -c}) and {@code --set KEY=VALUE}, taken out
 * of a command line wherever they stand before {@code --}: before or after the command name, of a
 * built-in command or a plugin's. They are needed before any parsing (a plugin command can only be
 * parsed once the configuration named the plugins directory), so they are the host's at every
 * position and never reach a command. Immutable.
 *
 * @param config the {@code --config} file, or {@code null}
 * @param overrides the {@code --set} values, in order
 * @param rest the command line without them
 */
record GlobalOptions(Path config, List<String> overrides, List<String> rest) {

  GlobalOptions {
    overrides = List.copyOf(overrides);
    rest = List.copyOf(rest);
  }

  /** A host option without its value. */
  static final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  static GlobalOptions scan(List<String> args) throws UsageError {
    Path config = null;
    List<String> sets = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        rest.addAll(args.subList(i, args.size()));
        break;
      }
      String name = null;
      String value = null;
      if (a.equals("--config") || a.equals("-c") || a.equals("--set")) {
        name = a;
        if (i + 1 >= args.size()) {
          throw new UsageError("option '" + a + "' needs a value");
        }
        value = args.get(++i);
      } else if (a.startsWith("--config=") || a.startsWith("--set=") || a.startsWith("-c=")) {
        int eq = a.indexOf('=');
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (name == null) {
        rest.add(a);
      } else if (name.equals("--set")) {
        sets.add(value);
      } else {
        config = Path.of(value);
      }
    }
    return new GlobalOptions(config, sets, rest);
  }

  /** The first word that is no option: the command name, or {@code null}. */
  String commandName() {
    for (String a : rest) {
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }
}
