package org.jobhost.host.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  @Test
  void withAKnownTotalShowsDoneOfTotalRateAndTimeLeft() {
    assertThat(ProgressLine.format(40, 2, OptionalLong.of(58), Duration.ofSeconds(10)))
        .isEqualTo("40 done of 100 (40%), 2 running, 4.0 jobs/s, ETA 15s");
  }

  @Test
  void withoutATotalShowsDoneRunningAndRateOnly() {
    assertThat(ProgressLine.format(7, 1, OptionalLong.empty(), Duration.ofSeconds(2)))
        .isEqualTo("7 done, 1 running, 3.5 jobs/s");
  }

  @Test
  void beforeTheFirstJobEndsTheTimeLeftIsUnknown() {
    assertThat(ProgressLine.format(0, 3, OptionalLong.of(10), Duration.ZERO))
        .isEqualTo("0 done of 13 (0%), 3 running, 0.0 jobs/s, ETA ?");
  }

  @Test
  void longTimesLeftReadInMinutesAndHours() {
    assertThat(ProgressLine.eta(Duration.ofSeconds(185))).isEqualTo("3m05s");
    assertThat(ProgressLine.eta(Duration.ofMinutes(123))).isEqualTo("2h03m");
  }
}
