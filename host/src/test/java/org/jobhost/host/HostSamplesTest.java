package org.jobhost.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.MetricSample;
import org.jobhost.host.plugins.Contribution;
import org.junit.jupiter.api.Test;

class HostSamplesTest {

  private static Contribution<JobSource> source(String plugin, OptionalLong depth) {
    return new Contribution<>(
        new JobSource() {
          @Override
          public List<Job> poll(int max) {
            return List.of();
          }

          @Override
          public OptionalLong depth() {
            if (depth == null) {
              throw new IllegalStateException("database down");
            }
            return depth;
          }
        },
        plugin);
  }

  private static Map<String, Double> depths(List<MetricSample> samples) {
    return samples.stream()
        .filter(s -> s.name().equals("source_depth"))
        .collect(
            java.util.stream.Collectors.toMap(s -> s.labels().get("source"), MetricSample::value));
  }

  @Test
  void sourcesThatTellTheirDepthAreSummedPerPluginAndTheOthersLeftOut() {
    List<MetricSample> samples =
        HostSamples.read(
            null,
            null,
            List.of(
                source("spool", OptionalLong.of(4)),
                source("queue", OptionalLong.of(10)),
                source("queue", OptionalLong.of(2)),
                source("cron", OptionalLong.empty()),
                source("broken", null)));

    assertThat(depths(samples)).isEqualTo(Map.of("spool", 4.0, "queue", 12.0));
  }

  @Test
  void beforeTheWorkerPoolExistsItsCountersAreZero() {
    List<MetricSample> samples = HostSamples.read(null, null, List.of());

    assertThat(samples)
        .extracting(MetricSample::name)
        .contains(
            "worker_jvm_starts_total",
            "worker_jvm_recycles_total",
            "worker_jvm_crashes_total",
            "worker_jvms",
            "process_groups");
    assertThat(samples).allMatch(s -> s.value() == 0);
  }

  @Test
  void theWaitingTotalIsKnownOnlyWhenEverySourceTellsItsDepth() {
    assertThat(
            HostSamples.waiting(
                List.of(source("spool", OptionalLong.of(3)), source("queue", OptionalLong.of(4)))))
        .hasValue(7);
    assertThat(
            HostSamples.waiting(
                List.of(source("spool", OptionalLong.of(3)), source("cron", OptionalLong.empty()))))
        .isEmpty();
    assertThat(HostSamples.waiting(List.of(source("spool", null)))).isEmpty();
    assertThat(HostSamples.waiting(List.of())).isEmpty();
  }
}
