package org.jobhost.store.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --param KEY=VALUE} options of {@code jobhost tasks add} and {@code jobhost enqueue}.
 * Stateless.
 */
public final class KeyValues {

  private KeyValues() {}

  /**
   * The pairs in the order given; a later key replaces an earlier one. The value may be empty and
   * may hold {@code =}; the key may not be empty.
   *
   * @throws IllegalArgumentException naming the option and the text that has no key
   */
  public static Map<String, String> parse(String option, List<String> texts) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : texts) {
      int eq = p.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(option + " takes KEY=VALUE (was \"" + p + "\")");
      }
      out.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return out;
  }
}
