package org.jobhost.cron;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.jobhost.store.PostgresStore;
import org.jobhost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database server's clock, read through this machine's: the local clock plus an offset measured
 * against {@code now()} of the database at start and again every {@link #REFRESH}. Hosts of a
 * cluster that use it agree on when a fire is due however their own clocks drift. Thread-safe.
 */
final class DatabaseClock extends Clock {

  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

  /** How often the offset is measured again. */
  static final Duration REFRESH = Duration.ofMinutes(1);

  /**
   * The database's clock minus the local one, and when (on the local clock) that was measured: one
   * value, so that a reader never pairs an offset with another measurement's time.
   */
  private record Measured(Duration offset, Instant at) {}

  private final Clock local;
  private final PostgresStore store;
  private volatile Measured measured;

  DatabaseClock(Clock local, PostgresStore store) {
    this(local, store, new Measured(store.clockOffset(local), local.instant()));
    Duration offset = measured.offset();
    if (offset.abs().compareTo(Duration.ofSeconds(1)) > 0) {
      log.warn(
          "plugin=cron this machine's clock is {} ms {} the database's; schedules follow the"
              + " database's clock (run NTP on every host)",
          offset.abs().toMillis(),
          offset.isNegative() ? "ahead of" : "behind");
    }
  }

  private DatabaseClock(Clock local, PostgresStore store, Measured measured) {
    this.local = local;
    this.store = store;
    this.measured = measured;
  }

  @Override
  public Instant instant() {
    Instant now = local.instant();
    Measured m = measured;
    if (Duration.between(m.at(), now).compareTo(REFRESH) > 0) {
      // Marked as measured now first: callers meanwhile, and after a failure everyone until the
      // next refresh, keep the last offset instead of asking the database too.
      m = new Measured(m.offset(), now);
      measured = m;
      try {
        m = new Measured(store.clockOffset(local), now);
        measured = m;
      } catch (StoreException e) {
        log.warn(
            "plugin=cron cannot read the database's clock: {}; keeping the last offset",
            e.getMessage());
      }
    }
    return now.plus(m.offset());
  }

  @Override
  public ZoneId getZone() {
    return local.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new DatabaseClock(local.withZone(zone), store, measured);
  }
}
