package org.jobhost.spool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock tests set and advance. Not thread-safe beyond a volatile read. */
final class MutableClock extends Clock {

  private volatile Instant now;
  private final ZoneId zone;

  MutableClock(Instant now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  void set(Instant at) {
    now = at;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new MutableClock(now, z);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
