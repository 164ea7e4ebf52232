package org.jobhost.host.control;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jobhost.api.Stats;
import org.jobhost.host.Version;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.plugins.PluginReport;

/**
 * The answers of the control socket: each request ({@code status}, {@code top}, {@code reload},
 * {@code pause}, {@code resume}, {@code resize N}, {@code reopen-logs}, {@code plugins}, {@code
 * plugins reload}, {@code stop}) carried out on the running daemon and turned into the fields of a
 * {@link ControlProtocol} answer. Stateless.
 */
public final class ControlRequests {

  /** How long {@code jobhost reload} waits for the result before it reports it pending. */
  static final Duration RELOAD_WAIT = Duration.ofSeconds(60);

  private ControlRequests() {}

  /** Answers one control request of the daemon {@code c}. Runs on a control connection thread. */
  public static ControlProtocol answer(DaemonControl c, long pid, String user, String request) {
    String[] words = request.trim().split("\\s+");
    switch (words[0]) {
      case "status":
        return ControlProtocol.ok(status(c, pid, user));
      case "top":
        return ControlProtocol.ok(
            TopAnswer.fields(
                status(c, pid, user), c.host().runningJobs(), c.activity(), Instant.now()));
      case "reload":
        try {
          String result = c.reloadAndWait(RELOAD_WAIT.toMillis());
          return ControlProtocol.ok(Map.of("reload", result));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return ControlProtocol.error("interrupted while waiting for the reload");
        }
      case "pause":
        c.host().pause();
        return ControlProtocol.ok(Map.of("state", state(c)));
      case "resume":
        c.host().resume();
        return ControlProtocol.ok(Map.of("state", state(c)));
      case "resize":
        if (words.length != 2) {
          return ControlProtocol.error("resize needs the number of workers, such as resize 4");
        }
        int n;
        try {
          n = Integer.parseInt(words[1]);
        } catch (NumberFormatException e) {
          return ControlProtocol.error("resize: " + words[1] + " is not a whole number");
        }
        if (n < 1 || n > Defaults.MAX_WORKERS_LIMIT) {
          return ControlProtocol.error(
              "resize: the number of workers must be 1 to "
                  + Defaults.MAX_WORKERS_LIMIT
                  + " (was "
                  + n
                  + ")");
        }
        int before = c.host().stats().maxWorkers();
        c.host().resize(n);
        return ControlProtocol.ok(
            Map.of("workers_max_before", Integer.toString(before), "workers_max", "" + n));
      case "reopen-logs":
        return ControlProtocol.ok(Map.of("reopened", Integer.toString(c.reopenLogs())));
      case "plugins":
        if (words.length > 1 && words[1].equals("reload")) {
          return PluginReports.rescan(c);
        }
        return ControlProtocol.ok(PluginReports.fields(c.plugins()));
      case "stop":
        c.host().stop();
        return ControlProtocol.ok(Map.of("state", "stopping"));
      default:
        return ControlProtocol.error(
            "unknown control request \""
                + request
                + "\"; known: status, reload, pause, resume, resize N, reopen-logs, plugins,"
                + " plugins reload, stop, top");
    }
  }

  private static String state(DaemonControl c) {
    return c.host().lifecycle().name().toLowerCase(Locale.ROOT);
  }

  /** The fields of a {@code status} answer, in the order {@code jobhost status} prints them. */
  public static Map<String, String> status(DaemonControl c, long pid, String user) {
    Stats s = c.host().stats();
    Map<String, String> f = new LinkedHashMap<>();
    f.put("state", s.lifecycle().name().toLowerCase(Locale.ROOT));
    f.put("pid", Long.toString(pid));
    f.put("version", Version.get());
    f.put("user", user);
    f.put("started", c.startedAt().toString());
    f.put("uptime_s", Long.toString(Duration.between(c.startedAt(), Instant.now()).toSeconds()));
    f.put("workers_busy", Integer.toString(s.running()));
    f.put("workers_max", Integer.toString(s.maxWorkers()));
    f.put("jobs_started", Long.toString(s.started()));
    f.put("jobs_succeeded", Long.toString(s.succeeded()));
    f.put("jobs_failed", Long.toString(s.failed()));
    f.put("jobs_timed_out", Long.toString(s.timedOut()));
    f.put("jobs_cancelled", Long.toString(s.cancelled()));
    f.put("jobs_retried", Long.toString(s.retried()));
    f.put(
        "plugins",
        c.plugins().stream()
            .map(r -> r.id() + ":" + r.shownState())
            .collect(Collectors.joining(",")));
    f.put(
        "plugin_problems",
        Long.toString(c.plugins().stream().filter(PluginReport::failed).count()));
    f.put("last_reload", c.lastReload());
    f.put("config_file", c.config().describeFile());
    return f;
  }
}
