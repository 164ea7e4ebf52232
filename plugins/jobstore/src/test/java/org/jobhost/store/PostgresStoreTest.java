package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two hosts' stores, {@code a} and {@code b}, on one new PostgreSQL database. */
class PostgresStoreTest {

  private final Clock clock = Clock.systemUTC();
  @TempDir Path dir;
  private PostgresStore a;
  private PostgresStore b;
  private Instant now;

  @BeforeEach
  void openTwoHosts() {
    DatabaseSettings s = TestDatabases.fresh(Dialect.POSTGRESQL, dir);
    a = PostgresStore.open(s, "a", clock);
    b = PostgresStore.open(s, "b", clock);
    now = clock.instant();
  }

  @AfterEach
  void closeBoth() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void aFireIsClaimedByOneHostOnly() {
    a.update(tx -> tx.putTask(Task.of("t", "* * * * * *", "demo", Map.of("x", "1")), now));
    Instant fire = Instant.parse("2026-01-01T00:00:01Z");
    boolean first = a.transaction(tx -> tx.claimFire("t", fire, "a", now));
    boolean second = b.transaction(tx -> tx.claimFire("t", fire, "b", now));
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(b.tasks()).extracting(Task::name).containsExactly("t");
  }

  @Test
  void changeCountMovesWhenAnotherHostChangesThePlan() {
    a.update(tx -> tx.putTask(Task.of("t", "* * * * * *", "demo", Map.of()), now));
    long before = b.changeCount();
    a.update(tx -> tx.setPlan("t", now.plusSeconds(5), now.plusMillis(1)));
    assertThat(b.changeCount()).isNotEqualTo(before);
  }

  @Test
  void clockOffsetIsSmallOnOneMachine() {
    assertThat(a.clockOffset(Clock.systemUTC()).abs()).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aJobsEndClosesItsNewestOpenRunOfThisHostOnly() {
    RunStart first = new RunStart(Store.SOURCE_HOST, null, "j", "demo", 1, null, now, "a");
    long onA = a.transaction(tx -> tx.runStarted(first));
    long onB =
        b.transaction(
            tx ->
                tx.runStarted(
                    new RunStart(Store.SOURCE_HOST, null, "j", "demo", 1, null, now, "b")));
    RunEnd end =
        new RunEnd(
            now.plusMillis(5).truncatedTo(ChronoUnit.MILLIS),
            RunOutcome.FAILED,
            3,
            "exit 3",
            "tail");
    Optional<Long> closed = a.transaction(tx -> tx.runEnded(Store.SOURCE_HOST, "j", 1, "a", end));
    assertThat(closed).contains(onA);
    assertThat(
            a.<Optional<Long>>transaction(tx -> tx.runEnded(Store.SOURCE_HOST, "j", 1, "a", end)))
        .as("no open run is left to close")
        .isEmpty();
    List<Run> runs = a.history(new HistoryQuery("j", false, null, 10));
    assertThat(runs).extracting(Run::id).containsExactlyInAnyOrder(onA, onB);
    Run ended = runs.stream().filter(r -> r.id() == onA).findFirst().orElseThrow();
    assertThat(ended.end()).isEqualTo(end);
    assertThat(runs.stream().filter(r -> r.id() == onB).findFirst().orElseThrow().end())
        .as("host b's run of the same job stays open")
        .isNull();
  }
}
