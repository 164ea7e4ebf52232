package org.jobhost.api;

/**
 * A setting is missing, of the wrong type or out of range. The message names where (file and line),
 * the key, the offending value and what to do.
 */
public class SettingsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the full dotted key, such as {@code plugins.demo.rate}
   * @param message the whole message, naming the place, the key and the fix
   */
  public SettingsException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The full dotted key the problem is about. */
  public String key() {
    return key;
  }
}
