package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2);

  @ParameterizedTest(name = "after {0} failures: {1}")
  @CsvSource({"1, PT0.5S", "2, PT1S", "3, PT2S", "7, PT30S", "1000, PT30S"})
  void waitDoublesWithEachFailureUpToTheCap(int failures, Duration wait) {
    assertThat(backoff.after(failures, 0.5)).isEqualTo(wait);
  }

  @Test
  void jitterSpreadsTheWaitBothWays() {
    assertThat(backoff.after(1, 0.0)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.after(1, 0.999999)).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void zeroFailuresWaitLikeOne() {
    assertThat(backoff.after(0, 0.5)).isEqualTo(backoff.after(1, 0.5));
  }

  @Test
  void aHugeFirstWaitDoesNotOverflow() {
    Backoff huge = new Backoff(Duration.ofDays(365 * 100), Duration.ofDays(365 * 1000), 0);
    assertThat(huge.after(40, 0.5)).isEqualTo(Duration.ofDays(365 * 1000));
  }

  @Test
  void jitterOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, 1.5))
        .hasMessage("jitter must be between 0 and 1 (was 1.5)");
  }
}
