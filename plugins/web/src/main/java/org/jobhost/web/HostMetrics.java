package org.jobhost.web;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jobhost.api.Host;
import org.jobhost.api.Job;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginState;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Signal;
import org.jobhost.api.Stats;

/**
 * The daemon's metrics in a Prometheus registry of this plugin's own. Job starts, ends and
 * durations are counted as the host reports them ({@link #jobStarted}, {@link #jobEnded}); gauges
 * and the host's own counters are read from {@link Host} at every scrape, and so are the metrics
 * plugins publish ({@link PluginMetrics}). Cardinality is bounded: labels are job types (at most
 * {@link #MAX_TYPES}, the rest counted as {@code other}), outcomes, signals, lifecycle states and
 * plugin ids, never job ids. Thread-safe.
 */
final class HostMetrics {

  /** Job types beyond this many distinct ones share the label value {@code other}. */
  static final int MAX_TYPES = 50;

  /** Sources (plugin ids) beyond this many distinct ones share the label value {@code other}. */
  static final int MAX_SOURCES = 20;

  /** The source label of a job the host did not list as running when it started. */
  static final String UNKNOWN_SOURCE = "unknown";

  /** The duration histogram's bucket bounds, in seconds: a second to an hour. */
  static final double[] DURATION_BUCKETS = {
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();

  // The metrics counted as the host reports jobs; the rest are read from the host at each scrape.
  private final Counter started =
      Counter.builder()
          .name("jobhost_jobs_started_total")
          .help("Jobs handed to a runner, by job type and source (the plugin it came from)")
          .labelNames("type", "source")
          .register(registry);
  private final Counter ended =
      Counter.builder()
          .name("jobhost_jobs_ended_total")
          .help("Job attempts that ended, by job type, source and outcome")
          .labelNames("type", "source", "outcome")
          .register(registry);
  private final Histogram duration =
      Histogram.builder()
          .name("jobhost_job_duration_seconds")
          .help("How long job attempts ran, by job type")
          .labelNames("type")
          .classicOnly()
          .classicUpperBounds(DURATION_BUCKETS)
          .register(registry);

  private final Host host;
  private final LongSupplier nanoTime;
  private final Set<String> types = ConcurrentHashMap.newKeySet();
  private final Set<String> sources = ConcurrentHashMap.newKeySet();
  private final Map<Job, Start> startedAt = Collections.synchronizedMap(new IdentityHashMap<>());

  /** When a job started (monotonic) and its source's label value. */
  private record Start(long nanos, String source) {}

  /**
   * @param host read at every scrape
   * @param nanoTime a monotonic clock for durations ({@code System::nanoTime})
   * @param jvm whether to add the JVM's metrics (memory, GC, threads, ...)
   */
  HostMetrics(Host host, LongSupplier nanoTime, boolean jvm) {
    this.host = host;
    this.nanoTime = nanoTime;
    CounterWithCallback.builder()
        .name("jobhost_jobs_retried_total")
        .help("Failed attempts handed back to their source for another attempt")
        .callback(cb -> cb.call(host.stats().retried()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("jobhost_jobs_running")
        .help("Jobs running now")
        .callback(cb -> cb.call(host.stats().running()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("jobhost_worker_slots")
        .help("Worker slots (max_workers) now")
        .callback(cb -> cb.call(host.stats().maxWorkers()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("jobhost_worker_slots_free")
        .help("Worker slots not running a job now")
        .callback(
            cb -> {
              Stats s = host.stats();
              cb.call(Math.max(0, s.maxWorkers() - s.running()));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("jobhost_state")
        .help("The daemon's lifecycle state: 1 for the current one")
        .labelNames("state")
        .callback(
            cb -> {
              Lifecycle now = host.lifecycle();
              for (Lifecycle l : Lifecycle.values()) {
                cb.call(l == now ? 1 : 0, l.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("jobhost_uptime_seconds")
        .help("Time since the daemon started")
        .callback(cb -> cb.call(host.stats().uptime().toMillis() / 1000.0))
        .register(registry);
    CounterWithCallback.builder()
        .name("jobhost_signals_received_total")
        .help("Signals that reached the daemon, by signal")
        .labelNames("signal")
        .callback(
            cb -> {
              for (Map.Entry<Signal, Long> e : host.signalsReceived().entrySet()) {
                cb.call(e.getValue(), e.getKey().name());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("jobhost_reloads_total")
        .help("Configuration reloads, by result (applied, rejected)")
        .labelNames("result")
        .callback(
            cb -> {
              cb.call(host.reloads().applied(), "applied");
              cb.call(host.reloads().rejected(), "rejected");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("jobhost_plugin_info")
        .help("Installed plugins: 1 for each, with its version and state (loaded, degraded, ...)")
        .labelNames("plugin", "version", "state")
        .callback(
            cb -> {
              for (PluginState p : host.pluginStates()) {
                cb.call(1, p.id(), p.version(), p.shownState());
              }
            })
        .register(registry);
    if (jvm) {
      JvmMetrics.builder().register(registry);
    }
    registry.register(new PluginMetrics(host, PluginMetrics.baseNames(registry.scrape())));
  }

  /** A job is about to run: counts it and starts its clock. */
  void jobStarted(Job job) {
    String source = source(job);
    started.labelValues(type(job), source).inc();
    startedAt.put(job, new Start(nanoTime.getAsLong(), source));
  }

  /** A job attempt ended: counts it by outcome and records its duration. */
  void jobEnded(Job job, Outcome outcome) {
    String type = type(job);
    Start t0 = startedAt.remove(job);
    ended
        .labelValues(
            type,
            t0 == null ? UNKNOWN_SOURCE : t0.source(),
            outcome.kind().name().toLowerCase(Locale.ROOT))
        .inc();
    if (t0 != null) {
      duration.labelValues(type).observe((nanoTime.getAsLong() - t0.nanos()) / 1e9);
    }
  }

  /** Writes every metric in the Prometheus text format. */
  void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }

  /** The text format's content type. */
  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /**
   * The id of the plugin whose source produced this job, as the host's running jobs tell (the job
   * is among them when the host reports its start); {@value #UNKNOWN_SOURCE} when it is not. At
   * most {@link #MAX_SOURCES} distinct values, the rest {@code other}.
   */
  private String source(Job job) {
    String found = UNKNOWN_SOURCE;
    for (RunningJob r : host.runningJobs()) {
      if (r.job() == job) {
        found = r.source();
        break;
      }
    }
    return bounded(sources, MAX_SOURCES, found);
  }

  private String type(Job job) {
    return bounded(types, MAX_TYPES, job.type());
  }

  /**
   * The label value for {@code value}: itself when it is among the first {@code max} distinct
   * values {@code seen}, else {@code other}.
   */
  private static String bounded(Set<String> seen, int max, String value) {
    if (seen.contains(value)) {
      return value;
    }
    if (seen.size() < max) {
      seen.add(value);
      return value;
    }
    return "other";
  }
}
