package org.jobhost.host.control;

import java.time.Instant;
import java.util.List;
import org.jobhost.api.Host;
import org.jobhost.host.config.Config;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;

/** What the control socket and systemd status need to see of the daemon. Thread-safe. */
public interface DaemonControl {

  /** The handle that steers the daemon (pause, resume, stop, resize, stats). */
  Host host();

  /** The running configuration. */
  Config config();

  /** When the daemon started. */
  Instant startedAt();

  /** The plugin reports (empty before plugins loaded). */
  List<PluginReport> plugins();

  /**
   * Reloads and waits for the result, at most {@code timeoutMillis}.
   *
   * @return {@code "applied"} or {@code "rejected: <reasons>"}
   */
  String reloadAndWait(long timeoutMillis) throws InterruptedException;

  /**
   * The result of the last reload: {@code "none"}, {@code "applied at ..."} or {@code "rejected at
   * ...: ..."}.
   */
  String lastReload();

  /**
   * Rescans {@code plugins_dir} and applies the difference (see {@link HotPlugins}), waiting at
   * most {@code timeoutMillis} for the result.
   */
  default HotPlugins.Outcome rescanPlugins(long timeoutMillis) throws InterruptedException {
    return new HotPlugins.Outcome(List.of(), List.of("this daemon cannot rescan its plugins"));
  }

  /** Closes and reopens the log files; returns how many. */
  int reopenLogs();

  /**
   * The jobs started and ended per type and the last failures, for {@code jobhost top}.
   *
   * @return an empty record from a daemon that keeps none (the default)
   */
  default JobActivity activity() {
    return new JobActivity(java.time.Clock.systemUTC());
  }
}
