package org.jobhost.host.cli.top;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One answer of the control request {@code top}, read into values. Missing or malformed fields read
 * as 0 or empty, so a daemon of another version still shows what it tells. Immutable.
 *
 * @param now the daemon's clock when it answered
 * @param status every field of the answer, for the header ({@code state}, {@code pid}, {@code
 *     workers_busy}, {@code jobs_started}, ...)
 * @param runningTotal how many jobs run (the list may be shorter)
 * @param running the running jobs the daemon listed, oldest first
 * @param types the counters per type, by name
 * @param failures the last failures, newest first
 */
public record Snapshot(
    Instant now,
    Map<String, String> status,
    int runningTotal,
    List<Running> running,
    List<TypeCount> types,
    List<Failure> failures) {

  /** A running job. Immutable. */
  public record Running(String id, String type, String source, Instant started) {
    /** How long it has run at {@code now}. */
    public Duration elapsed(Instant now) {
      Duration d = Duration.between(started, now);
      return d.isNegative() ? Duration.ZERO : d;
    }
  }

  /** The counters of one type. Immutable. */
  public record TypeCount(
      String name, long started, long succeeded, long failed, long timedOut, long cancelled) {
    /** Attempts that ended, whatever the outcome. */
    public long ended() {
      return succeeded + failed + timedOut + cancelled;
    }

    /** Attempts that ended other than succeeded. */
    public long notSucceeded() {
      return failed + timedOut + cancelled;
    }
  }

  /** A failed attempt. Immutable. */
  public record Failure(String id, String type, String outcome, Instant ended, String message) {}

  /** Copies. */
  public Snapshot {
    status = Map.copyOf(status);
    running = List.copyOf(running);
    types = List.copyOf(types);
    failures = List.copyOf(failures);
  }

  /**
   * Reads the fields of a {@code top} answer.
   *
   * @param fallbackNow the time to use when the answer has no {@code now}
   */
  public static Snapshot parse(Map<String, String> f, Instant fallbackNow) {
    Instant now = instant(f.get("now"), fallbackNow);
    List<Running> running = new ArrayList<>();
    for (int i = 1; f.containsKey("running." + i + ".id"); i++) {
      String p = "running." + i + ".";
      running.add(
          new Running(
              f.get(p + "id"),
              f.getOrDefault(p + "type", "?"),
              f.getOrDefault(p + "source", "?"),
              instant(f.get(p + "started"), now)));
    }
    List<TypeCount> types = new ArrayList<>();
    for (int i = 1; f.containsKey("type." + i + ".name"); i++) {
      String p = "type." + i + ".";
      types.add(
          new TypeCount(
              f.get(p + "name"),
              parseNumber(f.get(p + "started")),
              parseNumber(f.get(p + "succeeded")),
              parseNumber(f.get(p + "failed")),
              parseNumber(f.get(p + "timed_out")),
              parseNumber(f.get(p + "cancelled"))));
    }
    List<Failure> failures = new ArrayList<>();
    for (int i = 1; f.containsKey("failure." + i + ".id"); i++) {
      String p = "failure." + i + ".";
      failures.add(
          new Failure(
              f.get(p + "id"),
              f.getOrDefault(p + "type", "?"),
              f.getOrDefault(p + "outcome", "?"),
              instant(f.get(p + "ended"), now),
              f.getOrDefault(p + "message", "")));
    }
    int total = (int) Math.max(running.size(), parseNumber(f.get("running")));
    return new Snapshot(now, f, total, running, types, failures);
  }

  /** A status field as a number, 0 when absent. */
  public long number(String key) {
    return parseNumber(status.get(key));
  }

  /** A status field, {@code "?"} when absent. */
  public String field(String key) {
    return status.getOrDefault(key, "?");
  }

  private static long parseNumber(String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant instant(String s, Instant fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
