package org.jobhost.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.jobhost.api.AdminView;
import org.jobhost.api.Host;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables plugins offer through {@link Host#views()} (cron's tasks and history, the queue's
 * stats, dead jobs and cluster), served as {@code /api/views}, {@code /api/views/<name>} and {@code
 * POST /api/views/<name>/<action>?key=K}. Every call into a plugin is guarded: whatever it throws
 * becomes an HTTP answer (400 for a bad filter or action, 404 for an unknown row, 500 otherwise,
 * logged) and never reaches the server. Thread-safe.
 */
final class PluginViews {

  private static final Logger log = LoggerFactory.getLogger(PluginViews.class);

  /** An answer: an HTTP status and a JSON-ready body. */
  record Answer(int status, Object body) {}

  private final Host host;

  PluginViews(Host host) {
    this.host = host;
  }

  /** {@code /api/views}: each view's name, title, key field, columns, filters and actions. */
  List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AdminView v : host.views()) {
      try {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("title", v.title());
        m.put("key", v.key());
        m.put("columns", List.copyOf(v.columns()));
        m.put("filters", List.copyOf(v.filters()));
        m.put("actions", List.copyOf(v.actions()));
        out.add(m);
      } catch (RuntimeException | LinkageError e) {
        log.warn("plugin=web a view of {} cannot describe itself: {}", v.getClass(), e.toString());
      }
    }
    return out;
  }

  Optional<AdminView> find(String name) {
    for (AdminView v : host.views()) {
      if (name.equals(v.name())) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** {@code GET /api/views/<name>}: the rows; filters not offered by the view are ignored. */
  Answer rows(String name, Map<String, String> query) {
    Optional<AdminView> found = find(name);
    if (found.isEmpty()) {
      return noSuchView(name);
    }
    AdminView v = found.get();
    Map<String, String> filters = new LinkedHashMap<>();
    for (String f : v.filters()) {
      String value = query.get(f);
      if (value != null && !value.isBlank()) {
        filters.put(f, value.trim());
      }
    }
    try {
      return new Answer(200, v.rows(Map.copyOf(filters)));
    } catch (IllegalArgumentException e) {
      return new Answer(400, error(e.getMessage()));
    } catch (Exception | LinkageError e) {
      log.warn("plugin=web view {} failed to read: {}", name, e.toString(), e);
      return new Answer(500, error("view " + name + " failed: " + e + " (see the daemon's log)"));
    }
  }

  /** {@code POST /api/views/<name>/<action>?key=K}: the action's line for the operator. */
  Answer act(String name, String action, String key) {
    Optional<AdminView> found = find(name);
    if (found.isEmpty()) {
      return noSuchView(name);
    }
    AdminView v = found.get();
    if (!v.actions().contains(action)) {
      return new Answer(
          404,
          error(
              "view "
                  + name
                  + " has no action \""
                  + action
                  + "\""
                  + (v.actions().isEmpty() ? "; it is read-only" : "; it has " + v.actions())));
    }
    if (key == null || key.isBlank()) {
      return new Answer(400, error(action + " needs key=<the row's " + v.key() + ">"));
    }
    try {
      String done = v.act(action, key);
      log.info("plugin=web view {} {} {}: {}", name, action, key, done);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("done", done);
      return new Answer(200, m);
    } catch (NoSuchElementException e) {
      return new Answer(404, error(e.getMessage()));
    } catch (IllegalArgumentException e) {
      return new Answer(400, error(e.getMessage()));
    } catch (Exception | LinkageError e) {
      log.warn("plugin=web view {} {} {} failed: {}", name, action, key, e.toString(), e);
      return new Answer(
          500, error(action + " on " + name + " failed: " + e + " (see the daemon's log)"));
    }
  }

  private Answer noSuchView(String name) {
    List<String> names = new ArrayList<>();
    for (AdminView v : host.views()) {
      names.add(v.name());
    }
    return new Answer(
        404, error("no view named \"" + name + "\"; the views are " + names + " (see /api/views)"));
  }

  private static Map<String, Object> error(String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", String.valueOf(message));
    return m;
  }
}
