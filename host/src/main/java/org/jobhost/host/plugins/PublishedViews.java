package org.jobhost.host.plugins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jobhost.api.AdminView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The views plugins offered through {@code PluginContext.publishView}, read by {@code
 * Host.views()}, in the order offered. A name is the view's identity: a second offer of a name
 * replaces the first when it comes from the same plugin, and is refused (logged) when it comes from
 * another. Thread-safe.
 */
public final class PublishedViews {

  private static final Logger log = LoggerFactory.getLogger("org.jobhost.host.plugins");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private record Offered(String pluginId, AdminView view) {}

  private final Map<String, Offered> byName = new LinkedHashMap<>();

  /** Keeps {@code view} under its name; logs and ignores an invalid or foreign duplicate name. */
  public void publish(String pluginId, AdminView view) {
    Objects.requireNonNull(view, "view");
    String name = FaultBoundary.call(pluginId, "AdminView.name", view::name, null);
    if (name == null || !NAME.matcher(name).matches()) {
      log.warn(
          "plugin={} offered a view named \"{}\"; ignored: a view name is lower-case letters,"
              + " digits and -, starting with a letter",
          pluginId,
          name);
      return;
    }
    synchronized (byName) {
      Offered old = byName.get(name);
      if (old != null && !old.pluginId().equals(pluginId)) {
        log.warn(
            "plugin={} offered a view named \"{}\", which plugin {} offered first; ignored: rename"
                + " one of them",
            pluginId,
            name,
            old.pluginId());
        return;
      }
      byName.put(name, new Offered(pluginId, view));
    }
  }

  /** Drops every view of a plugin (when it is unloaded). */
  public void forget(String pluginId) {
    synchronized (byName) {
      byName.values().removeIf(o -> o.pluginId().equals(pluginId));
    }
  }

  /** The views now, in the order offered. */
  public List<AdminView> all() {
    synchronized (byName) {
      List<AdminView> out = new ArrayList<>();
      for (Offered o : byName.values()) {
        out.add(o.view());
      }
      return List.copyOf(out);
    }
  }
}
