package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2);

  @Test
  void waitDoublesWithEachFailureUpToTheCap() {
    assertThat(backoff.after(1, 0.5)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.after(2, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.after(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.after(7, 0.5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.after(1_000, 0.5)).isEqualTo(Duration.ofSeconds(30));
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
