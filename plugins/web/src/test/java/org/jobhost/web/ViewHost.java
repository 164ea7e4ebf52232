package org.jobhost.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.PluginState;
import org.jobhost.api.ReloadCounts;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;
import org.jobhost.testkit.FakeHost;

/** The host the web plugin's tests read: the test kit's FakeHost with every view filled in. */
final class ViewHost {

  private ViewHost() {}

  /**
   * Two worker slots, seven jobs started, a degraded cron plugin, three HUPs, one reload refused.
   */
  static FakeHost create() {
    Map<String, String> status = new LinkedHashMap<>();
    status.put("state", "running");
    status.put("pid", "42");
    status.put("workers_busy", "0");
    status.put("workers_max", "2");
    status.put("jobs_started", "7");
    status.put("last_reload", "none");
    return new FakeHost()
        .setStats(new Stats(7, 4, 1, 1, 0, 2, 0, 2, Duration.ofSeconds(5), Lifecycle.RUNNING))
        .setStatus(status)
        .setPluginStates(
            List.of(
                new PluginState("web", "1.0", "loaded", List.of()),
                new PluginState("cron", "1.0", "loaded", List.of("task \"x\" is invalid"))))
        .setSignalsReceived(Map.of(Signal.HUP, 3L))
        .setReloads(new ReloadCounts(2, 1));
  }
}
