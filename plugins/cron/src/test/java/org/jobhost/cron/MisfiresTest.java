package org.jobhost.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jobhost.store.Task;
import org.junit.jupiter.api.Test;

class MisfiresTest {

  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Schedule EVERY_TEN_MINUTES = Schedule.parse("*/10 * * * *", ZoneOffset.UTC);

  private static Task task(Task.Misfire misfire, int cap, Duration jitter) {
    return Task.of("t", "*/10 * * * *", "command", Map.of())
        .withPolicies(Task.Overlap.ALLOW, misfire, cap, jitter);
  }

  @Test
  void withoutJitterAFireIsDueAtItsTime() {
    assertThat(Misfires.due(task(Task.Misfire.FIRE_ONCE, 1, null), T0)).isEqualTo(T0);
  }

  @Test
  void jitterDelaysEachFireByAFixedOffsetBelowTheJitter() {
    Task t = task(Task.Misfire.FIRE_ONCE, 1, Duration.ofSeconds(30));
    Instant due = Misfires.due(t, T0);
    assertThat(due).isBetween(T0, T0.plusSeconds(30).minusMillis(1));
    assertThat(Misfires.due(t, T0)).as("the same fire, the same offset").isEqualTo(due);
  }

  @Test
  void aFireIsMissedOnlyWhenItWasDueLongerThanTheThresholdAgo() {
    Task t = task(Task.Misfire.FIRE_ONCE, 1, null);
    Duration threshold = Duration.ofSeconds(60);
    assertThat(Misfires.missed(t, T0, T0.plusSeconds(60), threshold)).isFalse();
    assertThat(Misfires.missed(t, T0, T0.plusSeconds(61), threshold)).isTrue();
  }

  @Test
  void catchUpCountsEveryMissedFireAndKeepsTheLatestOneWithFireOnce() {
    Task t = task(Task.Misfire.FIRE_ONCE, 1, null);
    Misfires.Catchup c = Misfires.catchUp(t, EVERY_TEN_MINUTES, T0, T0.plusSeconds(3600 + 5));
    assertThat(c.missed()).isEqualTo(7);
    assertThat(c.latest()).containsExactly(T0.plusSeconds(3600));
    assertThat(c.last()).isEqualTo(T0.plusSeconds(3600));
    assertThat(c.following()).isEqualTo(T0.plusSeconds(4200));
  }

  @Test
  void catchUpWithFireAllKeepsTheLatestFiresUpToTheCapOldestFirst() {
    Task t = task(Task.Misfire.FIRE_ALL, 3, null);
    Misfires.Catchup c = Misfires.catchUp(t, EVERY_TEN_MINUTES, T0, T0.plusSeconds(3600));
    assertThat(c.missed()).isEqualTo(7);
    assertThat(c.latest())
        .containsExactly(T0.plusSeconds(2400), T0.plusSeconds(3000), T0.plusSeconds(3600));
  }

  @Test
  void catchUpStopsCountingAfterTheStepLimitAndResumesAfterNow() {
    Task t = task(Task.Misfire.SKIP, 1, null);
    Schedule everySecond = Schedule.parse("* * * * * *", ZoneOffset.UTC);
    Instant now = T0.plusSeconds(500);
    Misfires.Catchup c = Misfires.catchUp(t, everySecond, T0, now, 100);
    assertThat(c.missed()).isEqualTo(100);
    assertThat(c.following()).isEqualTo(now.plusSeconds(1));
  }
}
