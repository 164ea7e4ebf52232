package org.jobhost.host.cli.top;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs per second per type between two snapshots; with no earlier snapshot, the average since the
 * daemon started (its {@code uptime_s}). A counter that went down (the daemon restarted) counts
 * from 0. Immutable.
 *
 * @param over the time the rates are measured over
 * @param sinceStart whether they are averages since the daemon started
 * @param rows one per type of the newer snapshot, in its order
 */
public record Rates(Duration over, boolean sinceStart, List<Row> rows) {

  /** The rates of one type, per second. Immutable. */
  public record Row(String type, double started, double ended, double notSucceeded) {}

  /** Copies. */
  public Rates {
    rows = List.copyOf(rows);
  }

  /**
   * @param before the previous snapshot, or {@code null}
   */
  public static Rates between(Snapshot before, Snapshot now) {
    boolean sinceStart = before == null || !before.now().isBefore(now.now());
    Duration over =
        sinceStart
            ? Duration.ofSeconds(Math.max(1, now.number("uptime_s")))
            : Duration.between(before.now(), now.now());
    Map<String, Snapshot.TypeCount> old = new HashMap<>();
    if (!sinceStart) {
      before.types().forEach(t -> old.put(t.name(), t));
    }
    double seconds = over.toMillis() / 1000.0;
    List<Row> rows = new ArrayList<>();
    for (Snapshot.TypeCount t : now.types()) {
      Snapshot.TypeCount o = old.get(t.name());
      rows.add(
          new Row(
              t.name(),
              delta(t.started(), o == null ? 0 : o.started()) / seconds,
              delta(t.ended(), o == null ? 0 : o.ended()) / seconds,
              delta(t.notSucceeded(), o == null ? 0 : o.notSucceeded()) / seconds));
    }
    return new Rates(over, sinceStart, rows);
  }

  private static long delta(long now, long before) {
    return now >= before ? now - before : now;
  }
}
