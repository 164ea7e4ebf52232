package org.jobhost.host.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jobhost.api.MetricSample;

/**
 * The suppliers plugins handed to {@code PluginContext.publishMetrics}, one per extension context,
 * read on demand by {@code Host.pluginMetrics()}. The host keeps no values: each read calls every
 * supplier once, behind the fault boundary. Thread-safe.
 */
public final class PublishedMetrics {

  private record Published(String pluginId, Supplier<List<MetricSample>> samples) {}

  private final Map<Object, Published> byOwner = new ConcurrentHashMap<>();

  /**
   * Keeps {@code samples} for {@code owner} (an extension's context), replacing what it published
   * before.
   */
  public void publish(Object owner, String pluginId, Supplier<List<MetricSample>> samples) {
    byOwner.put(owner, new Published(pluginId, Objects.requireNonNull(samples, "samples")));
  }

  /** Drops every supplier {@code pluginId} published (it was unloaded). */
  public void forget(String pluginId) {
    byOwner.values().removeIf(p -> p.pluginId().equals(pluginId));
  }

  /** Calls every supplier once; plugin id to its samples, in plugin id order. */
  public Map<String, List<MetricSample>> collect() {
    Map<String, List<MetricSample>> out = new TreeMap<>();
    for (Published p : byOwner.values()) {
      List<MetricSample> got =
          FaultBoundary.call(
              p.pluginId(), "the metrics supplier (publishMetrics)", p.samples()::get, List.of());
      if (got == null || got.isEmpty()) {
        continue;
      }
      List<MetricSample> mine = out.computeIfAbsent(p.pluginId(), k -> new ArrayList<>());
      for (MetricSample s : got) {
        if (s != null) {
          mine.add(s);
        }
      }
    }
    out.replaceAll((id, samples) -> List.copyOf(samples));
    return out;
  }
}
