package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresStoreTest {

  @TempDir Path dir;

  @Test
  void aFireIsClaimedByOneHostOnly() {
    DatabaseSettings s = TestDatabases.fresh(Dialect.POSTGRESQL, dir);
    Clock clock = Clock.systemUTC();
    try (PostgresStore a = PostgresStore.open(s, "a", clock);
        PostgresStore b = PostgresStore.open(s, "b", clock)) {
      Instant now = clock.instant();
      a.update(tx -> tx.putTask(Task.of("t", "* * * * * *", "demo", Map.of("x", "1")), now));
      Instant fire = Instant.parse("2026-01-01T00:00:01Z");
      boolean first = a.transaction(tx -> tx.claimFire("t", fire, "a", now));
      boolean second = b.transaction(tx -> tx.claimFire("t", fire, "b", now));
      assertThat(first).isTrue();
      assertThat(second).isFalse();
      assertThat(b.tasks()).extracting(Task::name).containsExactly("t");
    }
  }

  @Test
  void changeCountMovesWhenAnotherHostChangesThePlan() {
    DatabaseSettings s = TestDatabases.fresh(Dialect.POSTGRESQL, dir);
    Clock clock = Clock.systemUTC();
    try (PostgresStore a = PostgresStore.open(s, "a", clock);
        PostgresStore b = PostgresStore.open(s, "b", clock)) {
      Instant now = clock.instant();
      a.update(tx -> tx.putTask(Task.of("t", "* * * * * *", "demo", Map.of()), now));
      long before = b.changeCount();
      a.update(tx -> tx.setPlan("t", now.plusSeconds(5), now.plusMillis(1)));
      assertThat(b.changeCount()).isNotEqualTo(before);
    }
  }

  @Test
  void clockOffsetIsSmallOnOneMachine() {
    DatabaseSettings s = TestDatabases.fresh(Dialect.POSTGRESQL, dir);
    try (PostgresStore a = PostgresStore.open(s, "a", Clock.systemUTC())) {
      assertThat(a.clockOffset(Clock.systemUTC()).abs()).isLessThan(Duration.ofSeconds(1));
    }
  }
}
