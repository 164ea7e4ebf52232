package org.jobhost.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: {@link #advance} and {@link #set}. Thread-safe; copies made by
 * {@link #withZone} share the same time.
 */
public final class ManualClock extends Clock {

  /** The instant a new clock shows unless told otherwise: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC. */
  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward.
   *
   * @throws IllegalArgumentException when {@code step} is negative (use {@link #set} to go back)
   */
  public ManualClock advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("advance by a negative step " + step + "; use set()");
    }
    now.updateAndGet(t -> t.plus(step));
    return this;
  }

  /** Sets the clock to {@code instant}, forward or back. */
  public ManualClock set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return new ManualClock(now, other);
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + ", " + zone + "]";
  }
}
