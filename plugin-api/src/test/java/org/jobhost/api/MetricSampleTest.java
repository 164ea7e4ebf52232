package org.jobhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSampleTest {

  @Test
  void aValidGaugeAndCounterAreKept() {
    assertThat(MetricSample.gauge("incoming_jobs", "files waiting", 3).value()).isEqualTo(3.0);
    assertThat(
            new MetricSample(
                    "fires_total", "fires", MetricSample.Kind.COUNTER, Map.of("task", "a"), 2)
                .labels())
        .containsEntry("task", "a");
  }

  @Test
  void aCounterMustEndInTotalAndNeverGoNegative() {
    assertThatThrownBy(() -> MetricSample.counter("fires", "fires", 1))
        .hasMessage("counter \"fires\" must end in _total, such as fires_total");
    assertThatThrownBy(() -> MetricSample.counter("fires_total", "fires", -1))
        .hasMessageContaining("must be finite and not negative");
  }

  @Test
  void badNamesLabelsAndValuesAreRefusedNamingThem() {
    assertThatThrownBy(() -> MetricSample.gauge("Incoming-Jobs", "x", 1))
        .hasMessageContaining("metric name \"Incoming-Jobs\" must be lower-case letters");
    assertThatThrownBy(
            () -> new MetricSample("a", "x", MetricSample.Kind.GAUGE, Map.of("plugin", "spool"), 1))
        .hasMessageContaining("label \"plugin\" of metric a");
    assertThatThrownBy(() -> MetricSample.gauge("a", "x", Double.NaN))
        .hasMessageContaining("must be finite");
  }
}
