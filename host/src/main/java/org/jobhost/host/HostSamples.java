package org.jobhost.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jobhost.api.JobSource;
import org.jobhost.api.MetricSample;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.process.ProcessGroups;
import org.jobhost.host.worker.WorkerCounts;
import org.jobhost.host.worker.WorkerPool;

/**
 * The host's own metrics for {@code Host.hostMetrics()}: worker JVMs, child process groups, and the
 * depth of each source that can tell. Read on the caller's thread; each source's {@code depth()}
 * runs behind the fault boundary. Stateless.
 */
final class HostSamples {

  private HostSamples() {}

  /**
   * The jobs all sources hold, summed; empty when any source cannot tell (a total that leaves one
   * out would be wrong, not approximate).
   */
  static OptionalLong waiting(List<Contribution<JobSource>> sources) {
    long sum = 0;
    for (Contribution<JobSource> s : sources) {
      OptionalLong depth =
          FaultBoundary.call(
              s.pluginId(), "JobSource.depth", () -> s.extension().depth(), OptionalLong.empty());
      if (depth == null || depth.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += Math.max(0, depth.getAsLong());
    }
    return sources.isEmpty() ? OptionalLong.empty() : OptionalLong.of(sum);
  }

  /**
   * @param pool the worker JVM pool, or {@code null} before it exists
   * @param groups the process groups, or {@code null} before they exist
   * @param sources the job sources now
   */
  static List<MetricSample> read(
      WorkerPool pool, ProcessGroups groups, List<Contribution<JobSource>> sources) {
    List<MetricSample> out = new ArrayList<>();
    WorkerCounts c = pool == null ? new WorkerCounts() : pool.counts();
    out.add(
        MetricSample.counter(
            "worker_jvm_starts_total", "Worker JVMs started and ready", c.starts()));
    out.add(
        MetricSample.counter(
            "worker_jvm_failed_starts_total",
            "Worker JVMs that did not become ready",
            c.failedStarts()));
    out.add(
        MetricSample.counter(
            "worker_jvm_recycles_total",
            "Worker JVMs retired after workers.max_jobs or workers.max_memory",
            c.recycles()));
    out.add(
        MetricSample.counter(
            "worker_jvm_kills_total",
            "Worker JVMs killed with their job (timeout or stop)",
            c.kills()));
    out.add(
        MetricSample.counter(
            "worker_jvm_crashes_total",
            "Worker JVMs that died on their own (crash, OOM, outside KILL)",
            c.crashes()));
    out.add(
        MetricSample.gauge(
            "worker_jvms",
            "Worker JVMs alive now (idle and busy)",
            pool == null ? 0 : pool.size()));
    out.add(
        MetricSample.gauge(
            "process_groups",
            "Child process groups alive now (commands and worker JVMs)",
            groups == null ? 0 : groups.all().size()));
    // Summed per plugin: a plugin with two sources is one label value.
    Map<String, Long> depths = new TreeMap<>();
    for (Contribution<JobSource> s : sources) {
      OptionalLong depth =
          FaultBoundary.call(
              s.pluginId(), "JobSource.depth", () -> s.extension().depth(), OptionalLong.empty());
      if (depth != null && depth.isPresent()) {
        depths.merge(s.pluginId(), Math.max(0, depth.getAsLong()), Long::sum);
      }
    }
    depths.forEach(
        (source, n) ->
            out.add(
                new MetricSample(
                    "source_depth",
                    "Jobs waiting in a source (due or not), where the source can tell",
                    MetricSample.Kind.GAUGE,
                    Map.of("source", source),
                    n)));
    return out;
  }
}
