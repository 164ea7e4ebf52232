package org.jobhost.store.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments split into positionals and {@code --options} ({@code --name value} or
 * {@code --name=value}; {@code --} ends the options). Immutable after parsing.
 */
public final class Args {

  private final List<String> positional;
  private final Map<String, List<String>> options;

  private Args(List<String> positional, Map<String, List<String>> options) {
    this.positional = positional;
    this.options = options;
  }

  /** A usage error: the command prints it with its usage and exits with 2. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /**
   * @param valued options that take a value
   * @param flags options that take none
   */
  public static Args parse(List<String> args, Set<String> valued, Set<String> flags)
      throws UsageException {
    List<String> positional = new ArrayList<>();
    Map<String, List<String>> options = new HashMap<>();
    boolean onlyPositional = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (onlyPositional || !a.startsWith("--")) {
        positional.add(a);
        continue;
      }
      if (a.equals("--")) {
        onlyPositional = true;
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException(name + " takes no value");
        }
        options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
          }
          value = args.get(++i);
        }
        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option " + name);
      }
    }
    return new Args(List.copyOf(positional), options);
  }

  public List<String> positional() {
    return positional;
  }

  public boolean flag(String name) {
    return options.containsKey(name);
  }

  public String value(String name, String fallback) {
    List<String> v = options.get(name);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  public List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  public int intValue(String name, int fallback, int min) throws UsageException {
    String v = value(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min) {
        throw new UsageException(name + " must be at least " + min + " (was " + v + ")");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number (was \"" + v + "\")");
    }
  }
}
