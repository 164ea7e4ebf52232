package org.jobhost.host.plugins;

import java.util.Objects;
import org.jobhost.binding.BindingRules;

/**
 * One extension instance and the plugin it came from. Immutable.
 *
 * @param extension the instance (one per extension class, created once)
 * @param pluginId the contributing plugin's id ({@code "host"} for the host's own classpath)
 * @param <T> the extension point
 */
public record Contribution<T>(T extension, String pluginId) {

  /** Validates. */
  public Contribution {
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(pluginId, "pluginId");
  }

  /** {@code plugin/ClassName}, for logs. */
  public String label() {
    return BindingRules.label(pluginId, extension);
  }
}
