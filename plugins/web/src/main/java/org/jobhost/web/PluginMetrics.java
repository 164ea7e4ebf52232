package org.jobhost.web;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.Host;
import org.jobhost.api.MetricSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exposes what plugins published through {@code PluginContext.publishMetrics} ({@link
 * Host#pluginMetrics()}), each as {@code jobhost_<plugin id>_<name>}, and the host's own samples
 * ({@link Host#hostMetrics()}: worker JVMs, process groups, source depths) as {@code
 * jobhost_<name>}. Read at every scrape. A sample whose name is already taken by a built-in metric,
 * whose kind differs from the first sample of its name, or whose labels repeat one already seen, is
 * left out (logged at debug), so that one plugin's mistake never breaks the scrape. Thread-safe.
 */
final class PluginMetrics implements MultiCollector {

  private static final Logger log = LoggerFactory.getLogger(PluginMetrics.class);

  private final Host host;
  private final Set<String> builtIn;

  /**
   * @param builtIn the names (without {@code _total}) of the metrics the plugin registers itself
   */
  PluginMetrics(Host host, Set<String> builtIn) {
    this.host = host;
    this.builtIn = Set.copyOf(builtIn);
  }

  private static final class Family {
    final MetricSample.Kind kind;
    final String help;
    final Map<Map<String, String>, Double> points = new LinkedHashMap<>();

    Family(MetricSample.Kind kind, String help) {
      this.kind = kind;
      this.help = help;
    }
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, Family> families = new LinkedHashMap<>();
    // The host's own samples first, under the empty id: jobhost_<name>.
    Map<String, List<MetricSample>> all = new LinkedHashMap<>();
    all.put("", host.hostMetrics());
    all.putAll(host.pluginMetrics());
    for (Map.Entry<String, List<MetricSample>> e : all.entrySet()) {
      for (MetricSample s : e.getValue()) {
        String name = exposedName(e.getKey(), s);
        if (builtIn.contains(name)) {
          log.debug("plugin={} metric {} clashes with a built-in one; left out", e.getKey(), name);
          continue;
        }
        Family f = families.computeIfAbsent(name, n -> new Family(s.kind(), s.help()));
        if (f.kind != s.kind() || f.points.putIfAbsent(s.labels(), s.value()) != null) {
          log.debug("plugin={} metric {} repeats or changes kind; left out", e.getKey(), name);
        }
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    for (Map.Entry<String, Family> e : families.entrySet()) {
      try {
        out.add(snapshot(e.getKey(), e.getValue()));
      } catch (IllegalArgumentException ex) {
        log.debug("metric {} left out: {}", e.getKey(), ex.getMessage());
      }
    }
    return new MetricSnapshots(out);
  }

  private static MetricSnapshot snapshot(String name, Family f) {
    if (f.kind == MetricSample.Kind.COUNTER) {
      CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(f.help);
      f.points.forEach(
          (labels, v) ->
              b.dataPoint(
                  CounterSnapshot.CounterDataPointSnapshot.builder()
                      .value(v)
                      .labels(labels(labels))
                      .build()));
      return b.build();
    }
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(f.help);
    f.points.forEach(
        (labels, v) ->
            b.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .value(v)
                    .labels(labels(labels))
                    .build()));
    return b.build();
  }

  private static Labels labels(Map<String, String> m) {
    Labels.Builder b = Labels.builder();
    m.forEach(b::label);
    return b.build();
  }

  /** {@code jobhost_<plugin id>_<name>}, the id's characters other than letters and digits as _. */
  static String exposedName(String pluginId, MetricSample s) {
    String id = pluginId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    String name = id.isEmpty() ? "jobhost_" + s.name() : "jobhost_" + id + "_" + s.name();
    return s.kind() == MetricSample.Kind.COUNTER && name.endsWith("_total")
        ? name.substring(0, name.length() - "_total".length())
        : name;
  }

  /** The base names (no {@code _total}) of metrics already in a scrape, for the clash check. */
  static Set<String> baseNames(Iterable<MetricSnapshot> snapshots) {
    Set<String> out = new HashSet<>();
    for (MetricSnapshot s : snapshots) {
      out.add(s.getMetadata().getName());
    }
    return out;
  }
}
