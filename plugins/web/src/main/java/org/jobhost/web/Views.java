package org.jobhost.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Host;
import org.jobhost.api.PluginState;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Signal;

/**
 * The documents of {@code /api/}, built from {@link Host}'s read-only views; the dashboard renders
 * the same values. Stateless apart from its host and clock; thread-safe.
 */
final class Views {

  private final Host host;
  private final Clock clock;

  Views(Host host, Clock clock) {
    this.host = host;
    this.clock = clock;
  }

  /** {@code /api/status}: the fields of {@code jobhost status --json}, in its order. */
  Map<String, String> status() {
    return host.status();
  }

  /** {@code /api/jobs}: the running jobs, oldest first. */
  List<Map<String, Object>> jobs() {
    Instant now = clock.instant();
    List<Map<String, Object>> out = new ArrayList<>();
    for (RunningJob r : host.runningJobs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.job().id());
      m.put("type", r.job().type());
      m.put("source", r.source());
      m.put("attempt", r.job().attempt());
      m.put("started", r.started().toString());
      m.put("elapsed_ms", Math.max(0, Duration.between(r.started(), now).toMillis()));
      out.add(m);
    }
    return out;
  }

  /**
   * {@code /api/live}: the status and the running jobs together, as the dashboard draws them. Its
   * {@code workers_busy} counts the jobs of the same answer, so the page never shows a job in the
   * table beside a count that has not seen it yet (or the other way round), as two requests apart
   * could.
   */
  Live live() {
    List<Map<String, Object>> jobs = jobs();
    Map<String, String> status = new LinkedHashMap<>(status());
    status.replace("workers_busy", Integer.toString(jobs.size()));
    return new Live(status, jobs);
  }

  /** The answer of {@code /api/live}. */
  record Live(Map<String, String> status, List<Map<String, Object>> jobs) {}

  /** {@code /api/plugins}: each plugin with its version, state and problems. */
  List<Map<String, Object>> plugins() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PluginState p : host.pluginStates()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("version", p.version());
      m.put("state", p.shownState());
      m.put("problems", p.problems());
      out.add(m);
    }
    return out;
  }

  /** {@code /api/signals}: how often each signal arrived, by its name ({@code "HUP": 2}). */
  Map<String, Object> signals() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Signal, Long> e : host.signalsReceived().entrySet()) {
      out.put(e.getKey().name(), e.getValue());
    }
    return out;
  }
}
