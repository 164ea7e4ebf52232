package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.MetricSample;
import org.junit.jupiter.api.Test;

class PublishedMetricsTest {

  private final PublishedMetrics metrics = new PublishedMetrics();

  @Test
  void eachReadCallsTheSuppliersAgainAndGroupsByPlugin() {
    AtomicInteger n = new AtomicInteger();
    metrics.publish(
        "ctx-1",
        "spool",
        () -> List.of(MetricSample.gauge("incoming_jobs", "files waiting", n.incrementAndGet())));
    metrics.publish(
        "ctx-2", "cron", () -> List.of(MetricSample.counter("fires_total", "fires", 3)));

    assertThat(metrics.collect().get("spool")).extracting(MetricSample::value).containsExactly(1.0);
    assertThat(metrics.collect().get("spool")).extracting(MetricSample::value).containsExactly(2.0);
    assertThat(metrics.collect()).containsOnlyKeys("cron", "spool");
  }

  @Test
  void aSupplierThatThrowsIsLeftOutAndTheOthersStillCount() {
    metrics.publish(
        "a",
        "broken",
        () -> {
          throw new IllegalStateException("database down");
        });
    metrics.publish("b", "spool", () -> List.of(MetricSample.gauge("incoming_jobs", "files", 4)));

    assertThat(metrics.collect()).containsOnlyKeys("spool");
  }

  @Test
  void publishingAgainReplacesTheSupplier() {
    metrics.publish("ctx", "spool", () -> List.of(MetricSample.gauge("a", "a", 1)));
    metrics.publish("ctx", "spool", () -> List.of(MetricSample.gauge("b", "b", 2)));

    assertThat(metrics.collect().get("spool")).extracting(MetricSample::name).containsExactly("b");
  }

  @Test
  void anUnloadedPluginsSuppliersAreForgottenAndTheOthersKept() {
    metrics.publish("ctx-1", "spool", () -> List.of(MetricSample.gauge("a", "a", 1)));
    metrics.publish("ctx-2", "spool", () -> List.of(MetricSample.gauge("b", "b", 2)));
    metrics.publish("ctx-3", "cron", () -> List.of(MetricSample.gauge("c", "c", 3)));

    metrics.forget("spool");

    assertThat(metrics.collect()).containsOnlyKeys("cron");
  }
}
