package org.jobhost.host;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jobhost.api.JobSource;
import org.jobhost.host.config.Config;
import org.jobhost.host.control.JobActivity;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.plugins.PublishedMetrics;
import org.jobhost.host.plugins.PublishedViews;
import org.jobhost.host.process.ProcessGroups;
import org.jobhost.host.service.LifecycleState;
import org.jobhost.host.signal.SignalCounts;
import org.jobhost.host.worker.WorkerPool;

/**
 * What the daemon's parts share: the current configuration, the lifecycle, and the pieces the start
 * sequence builds. The signal thread, the event thread, the control socket's threads and plugin
 * threads read these while the main thread starts and stops the daemon, so every field is final (a
 * thread-safe object), an {@link AtomicReference}, or volatile (written once by the main thread
 * during the start, {@code null} until then: readers copy it to a local and check). Thread-safe.
 */
final class DaemonState {

  final Clock clock;
  final Instant startedAt;
  final LifecycleState lifecycle = new LifecycleState();
  final StopControl stop = new StopControl();
  final AtomicReference<Config> config = new AtomicReference<>();
  final SignalCounts received = new SignalCounts();
  final PublishedMetrics published = new PublishedMetrics();
  final PublishedViews views = new PublishedViews();
  final JobActivity activity;

  volatile Plugins plugins;
  volatile ProcessGroups groups;
  volatile Dispatcher dispatcher;
  volatile WorkerPool workerPool;
  volatile HotPlugins hot;

  /** The plugins_dir of the start; a new one takes effect at the next restart. */
  volatile Path pluginsDir;

  DaemonState(Clock clock) {
    this.clock = clock;
    this.startedAt = clock.instant();
    this.activity = new JobActivity(clock);
  }

  /** The current configuration ({@code null} before the first load). */
  Config config() {
    return config.get();
  }

  /** The plugin reports, empty before plugins loaded. */
  List<PluginReport> reports() {
    Plugins p = plugins;
    return p == null ? List.of() : p.reports();
  }

  /** The job sources, empty before plugins loaded. */
  List<Contribution<JobSource>> sources() {
    Plugins p = plugins;
    return p == null ? List.of() : p.of(JobSource.class);
  }
}
