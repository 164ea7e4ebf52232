package org.jobhost.cron;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jobhost.store.Task;

/**
 * The arithmetic of fire times: when a fire is due (its time plus the task's fixed jitter), whether
 * it was missed, and which of the fires missed during a downtime are run. Pure: no clock, no store,
 * no state.
 */
final class Misfires {

  /** Missed fires counted one by one before the count gives up (a per-second task, 3 hours). */
  static final int MAX_MISSED_STEPS = 100_000;

  private Misfires() {}

  /** When a fire is due: its time plus the task's fixed jitter offset for that fire. */
  static Instant due(Task t, Instant fire) {
    long jitter = t.jitter().toMillis();
    if (jitter <= 0) {
      return fire;
    }
    long h = t.name().hashCode() * 0x9E3779B97F4A7C15L + fire.toEpochMilli();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return fire.plusMillis(Math.floorMod(h, jitter));
  }

  /** Whether the fire at {@code fire} is due more than {@code threshold} before {@code now}. */
  static boolean missed(Task t, Instant fire, Instant now, Duration threshold) {
    return due(t, fire).isBefore(now.minus(threshold));
  }

  /**
   * The fires of a task from {@code first} up to {@code now}, as far as its misfire policy keeps
   * them.
   *
   * @param missed how many fires fell into the span (counting stops at {@link #MAX_MISSED_STEPS})
   * @param latest the newest fires, oldest first: as many as {@code fire_all}'s cap, else one
   * @param following the first fire after {@code now}, or {@code null} when there is none
   */
  record Catchup(long missed, List<Instant> latest, Instant following) {
    Catchup {
      latest = List.copyOf(latest);
    }

    /** The newest missed fire. */
    Instant last() {
      return latest.get(latest.size() - 1);
    }
  }

  /**
   * Counts the fires of {@code s} from {@code first} (a fire at or before {@code now}) to now, one
   * by one up to {@link #MAX_MISSED_STEPS}.
   */
  static Catchup catchUp(Task t, Schedule s, Instant first, Instant now) {
    return catchUp(t, s, first, now, MAX_MISSED_STEPS);
  }

  /** {@link #catchUp(Task, Schedule, Instant, Instant)} giving up after {@code maxSteps}. */
  static Catchup catchUp(Task t, Schedule s, Instant first, Instant now, int maxSteps) {
    int keep = t.misfire() == Task.Misfire.FIRE_ALL ? t.misfireCap() : 1;
    Deque<Instant> latest = new ArrayDeque<>();
    long count = 0;
    Instant f = first;
    while (f != null && !f.isAfter(now)) {
      count++;
      latest.addLast(f);
      if (latest.size() > keep) {
        latest.removeFirst();
      }
      if (count >= maxSteps) {
        f = s.next(now).orElse(null);
        break;
      }
      f = s.next(f).orElse(null);
    }
    return new Catchup(count, List.copyOf(latest), f);
  }
}
