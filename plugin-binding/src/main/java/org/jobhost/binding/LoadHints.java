package org.jobhost.binding;

/**
 * What to tell a plugin author when plugin code fails for a reason of packaging or settings rather
 * than logic. Stateless; thread-safe.
 */
public final class LoadHints {

  private LoadHints() {}

  /**
   * The failure in one line, with the fix when the cause is known: a class missing at run time (a
   * library the plugin uses but its jar does not contain) gets the packaging hint; a {@link
   * org.jobhost.api.SettingsException} is its own message (file, line, key and the fix).
   */
  public static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.jobhost.api.SettingsException) {
        return oneLine(t.getMessage());
      }
      if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
        String missing = String.valueOf(t.getMessage()).replace('/', '.');
        return oneLine(
            e
                + (t != e ? " (caused by " + t + ")" : "")
                + "; the class "
                + missing
                + " is missing at run time: the plugin uses a library its jar does not contain."
                + " Shade the library into the plugin jar (maven-shade-plugin, see \"Packaging rules\""
                + " in the README), or ship the plugin as a zip with the library in lib/");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return oneLine(String.valueOf(e));
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace("\r", "").replace("\n", "; ");
  }
}
