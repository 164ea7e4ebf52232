package org.jobhost.testkit;

import java.util.List;

/**
 * What a reload did with a plugin's new settings.
 *
 * @param applied whether every extension accepted them ({@code validateSettings} did not throw) and
 *     {@code settingsChanged} was called
 * @param rejections one line per extension that refused them: its class and its message
 */
public record ReloadResult(boolean applied, List<String> rejections) {

  /** Copies. */
  public ReloadResult {
    rejections = List.copyOf(rejections);
  }
}
