package org.jobhost.host.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control socket's protocol, one request per connection. The client sends one line, {@code
 * COMMAND [ARG]}; the daemon answers {@code ok} or {@code error <message>} on the first line, then
 * {@code key=value} lines, then closes. Values never contain a newline. Commands: {@code status},
 * {@code reload}, {@code pause}, {@code resume}, {@code resize N}, {@code reopen-logs}, {@code
 * plugins} (the daemon's plugin reports, see {@link PluginReports}), {@code stop}, {@code top}
 * (status, running jobs, counters per type and the last failures, see {@link TopAnswer}).
 *
 * <p>An immutable value; thread-safe.
 *
 * @param ok whether the daemon did what was asked
 * @param error the daemon's message when not
 * @param fields the answer's fields, in order
 */
public record ControlProtocol(boolean ok, String error, Map<String, String> fields) {

  /** The socket's file name in {@code run_dir}. */
  public static final String SOCKET_NAME = "jobhost.sock";

  /** Copies. */
  public ControlProtocol {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** A success with fields. */
  public static ControlProtocol ok(Map<String, String> fields) {
    return new ControlProtocol(true, null, fields);
  }

  /** A refusal. */
  public static ControlProtocol error(String message) {
    return new ControlProtocol(false, oneLine(message), Map.of());
  }

  /** The answer as sent on the wire. */
  public String render() {
    StringBuilder sb = new StringBuilder(ok ? "ok" : "error " + error).append('\n');
    for (Map.Entry<String, String> e : fields.entrySet()) {
      sb.append(e.getKey()).append('=').append(oneLine(e.getValue())).append('\n');
    }
    return sb.toString();
  }

  /** Reads an answer as received. */
  public static ControlProtocol parse(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) {
      return error("the daemon closed the control connection without an answer");
    }
    String first = lines.remove(0);
    if (first.startsWith("error")) {
      return error(first.length() > 6 ? first.substring(6) : "unknown error");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String l : lines) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        fields.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return ok(fields);
  }

  /** {@code s} on one line: line breaks become {@code "; "}, as a field of the protocol must be. */
  public static String oneLine(String s) {
    return s == null ? "" : s.replace("\r", "").replace("\n", "; ");
  }
}
