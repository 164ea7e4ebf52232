package org.jobhost.web;

import java.util.List;
import java.util.Map;

/**
 * Renders {@code GET /}: the whole page on the server, so it is useful without JavaScript; {@code
 * dashboard.js} then refreshes it from {@code /api/} twice a second. No secret is ever written into
 * the page: the operator types the token, which stays in the tab's session storage. Stateless;
 * thread-safe.
 */
final class Dashboard {

  private Dashboard() {}

  /** The page, from the same values as {@code /api/} and the plugins' views. */
  static String render(Views views, PluginViews pluginViews) {
    Map<String, String> s = views.status();
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>jobhost</title>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<link rel=\"stylesheet\" href=\"dashboard.css\">")
        .append("<script src=\"dashboard.js\" defer></script></head><body>\n");
    h.append("<header><h1>jobhost</h1><span id=\"state\" class=\"state\">")
        .append(esc(s.getOrDefault("state", "?")))
        .append("</span> <span class=\"muted\">pid <span id=\"pid\">")
        .append(esc(s.getOrDefault("pid", "?")))
        .append("</span>, version <span id=\"version\">")
        .append(esc(s.getOrDefault("version", "?")))
        .append("</span>, up <span id=\"uptime\">")
        .append(esc(s.getOrDefault("uptime_s", "0")))
        .append("</span> s</span></header>\n");

    h.append("<section><h2>Workers</h2><p><span id=\"busy\">")
        .append(esc(s.getOrDefault("workers_busy", "0")))
        .append("</span> of <span id=\"max\">")
        .append(esc(s.getOrDefault("workers_max", "0")))
        .append("</span> slots busy</p><div id=\"slots\" class=\"slots\"></div>")
        .append("<div class=\"controls\">")
        .append("<button id=\"pause\" type=\"button\">Pause</button> ")
        .append("<button id=\"resume\" type=\"button\">Resume</button> ")
        .append(
            "<label>workers <input id=\"workers\" type=\"number\" min=\"1\" max=\"4096\" value=\"")
        .append(esc(s.getOrDefault("workers_max", "1")))
        .append("\"></label> <button id=\"resize\" type=\"button\">Resize</button> ")
        .append("<label>token <input id=\"token\" type=\"password\" autocomplete=\"off\"")
        .append(" placeholder=\"needed for actions\"></label>")
        .append(
            " <span id=\"message\" class=\"message\" role=\"status\"></span></div></section>\n");

    h.append("<section><h2>Counters</h2><table id=\"counters\"><tbody>");
    for (String k :
        List.of(
            "jobs_started",
            "jobs_succeeded",
            "jobs_failed",
            "jobs_timed_out",
            "jobs_cancelled",
            "jobs_retried")) {
      h.append("<tr><th>")
          .append(esc(k))
          .append("</th><td data-field=\"")
          .append(esc(k))
          .append("\">")
          .append(esc(s.getOrDefault(k, "0")))
          .append("</td></tr>");
    }
    h.append("<tr><th>last_reload</th><td data-field=\"last_reload\">")
        .append(esc(s.getOrDefault("last_reload", "")))
        .append("</td></tr></tbody></table></section>\n");

    h.append("<section><h2>Running jobs</h2><table id=\"jobs\"><thead><tr>")
        .append("<th>id</th><th>type</th><th>source</th><th>attempt</th><th>started</th>")
        .append("<th>elapsed</th><th></th></tr></thead><tbody>");
    for (Map<String, Object> j : views.jobs()) {
      h.append("<tr data-job=\"")
          .append(esc(j.get("id")))
          .append("\"><td>")
          .append(esc(j.get("id")))
          .append("</td><td>")
          .append(esc(j.get("type")))
          .append("</td><td>")
          .append(esc(j.get("source")))
          .append("</td><td>")
          .append(esc(j.get("attempt")))
          .append("</td><td>")
          .append(esc(j.get("started")))
          .append("</td><td>")
          .append(esc(seconds((Long) j.get("elapsed_ms"))))
          .append("</td><td><button type=\"button\" class=\"stop\">Stop</button></td></tr>");
    }
    h.append("</tbody></table></section>\n");

    for (Map<String, Object> v : pluginViews.describe()) {
      view(h, pluginViews, v);
    }

    h.append("<section><h2>Plugins</h2><table id=\"plugins\"><thead><tr>")
        .append("<th>id</th><th>version</th><th>state</th><th>problems</th></tr></thead><tbody>");
    for (Map<String, Object> p : views.plugins()) {
      h.append("<tr><td>")
          .append(esc(p.get("id")))
          .append("</td><td>")
          .append(esc(p.get("version")))
          .append("</td><td>")
          .append(esc(p.get("state")))
          .append("</td><td>")
          .append(esc(String.join("; ", castList(p.get("problems")))))
          .append("</td></tr>");
    }
    h.append("</tbody></table></section>\n");

    h.append("<section><h2>Signals received</h2><table id=\"signals\"><tbody>");
    for (Map.Entry<String, Object> e : views.signals().entrySet()) {
      h.append("<tr><th>SIG")
          .append(esc(e.getKey()))
          .append("</th><td>")
          .append(esc(e.getValue()))
          .append("</td></tr>");
    }
    h.append("</tbody></table></section>\n");
    h.append(
        "<footer class=\"muted\">JSON: <a href=\"api/status\">api/status</a>,"
            + " <a href=\"api/jobs\">api/jobs</a>, <a href=\"api/plugins\">api/plugins</a>,"
            + " <a href=\"api/signals\">api/signals</a>, <a href=\"api/views\">api/views</a>;"
            + " Prometheus:"
            + " <a href=\"metrics\">metrics</a></footer>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  /**
   * One plugin view: its filters, then a table of its rows (the view's columns, or every field),
   * each row with a button per action. {@code dashboard.js} redraws it from {@code
   * /api/views/<name>} with the filters the operator typed.
   */
  private static void view(StringBuilder h, PluginViews pluginViews, Map<String, Object> v) {
    String name = String.valueOf(v.get("name"));
    List<String> filters = castList(v.get("filters"));
    List<String> actions = castList(v.get("actions"));
    PluginViews.Answer a = pluginViews.rows(name, Map.of());
    List<Map<String, Object>> rows = a.status() == 200 ? castRows(a.body()) : List.of();
    List<String> columns = castList(v.get("columns"));
    if (columns.isEmpty() && !rows.isEmpty()) {
      columns = List.copyOf(rows.get(0).keySet());
    }
    h.append("<section class=\"view\" id=\"view-")
        .append(esc(name))
        .append("\" data-view=\"")
        .append(esc(name))
        .append("\" data-key=\"")
        .append(esc(v.get("key")))
        .append("\" data-columns=\"")
        .append(esc(String.join(",", castList(v.get("columns")))))
        .append("\" data-actions=\"")
        .append(esc(String.join(",", actions)))
        .append("\"><h2>")
        .append(esc(v.get("title")))
        .append("</h2>");
    if (!filters.isEmpty()) {
      h.append("<div class=\"filters\">");
      for (String f : filters) {
        h.append("<label>")
            .append(esc(f))
            .append(" <input type=\"text\" data-filter=\"")
            .append(esc(f))
            .append("\" placeholder=\"")
            .append(esc(placeholder(f)))
            .append("\"></label> ");
      }
      h.append("</div>");
    }
    if (a.status() != 200) {
      h.append("<p class=\"message\">").append(esc(Json.write(a.body()))).append("</p>");
    }
    h.append("<table><thead><tr>");
    for (String c : columns) {
      h.append("<th>").append(esc(c)).append("</th>");
    }
    if (!actions.isEmpty()) {
      h.append("<th></th>");
    }
    h.append("</tr></thead><tbody>");
    String key = String.valueOf(v.get("key"));
    for (Map<String, Object> r : rows) {
      h.append("<tr data-key=\"").append(esc(cell(r.get(key)))).append("\">");
      for (String c : columns) {
        String text = cell(r.get(c));
        h.append("<td title=\"")
            .append(esc(text))
            .append("\">")
            .append(esc(text.length() > 80 ? text.substring(0, 77) + "..." : text))
            .append("</td>");
      }
      if (!actions.isEmpty()) {
        h.append("<td>");
        for (String act : actions) {
          h.append("<button type=\"button\" class=\"view-action\" data-action=\"")
              .append(esc(act))
              .append("\">")
              .append(esc(act))
              .append("</button> ");
        }
        h.append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</tbody></table></section>\n");
  }

  private static String placeholder(String filter) {
    return switch (filter) {
      case "outcome" -> "succeeded, failed, ...";
      case "since" -> "2h, 2026-12-01";
      default -> "any";
    };
  }

  /** A field's value as a cell shows it: nothing for null, JSON for lists and maps. */
  static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Map<?, ?> || value instanceof java.util.Collection<?>) {
      return Json.write(value);
    }
    return value.toString();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> castRows(Object o) {
    return (List<Map<String, Object>>) o;
  }

  static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  /** Escapes text for HTML element content and double-quoted attributes. */
  static String esc(Object o) {
    String s = String.valueOf(o);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
