package org.jobhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesEveryUnit() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void rejectsTextWithoutUnitNamingTheText() {
    assertThatThrownBy(() -> Durations.parse("5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"5\" is not a duration")
        .hasMessageContaining("ms, s, m, h or d");
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
  }
}
