package org.jobhost.host.cli.top;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a snapshot as lines of text: a header (state, pid, uptime, worker slots, counters), the
 * running jobs with their elapsed time, the rates per type and the last failures. Lines are cut to
 * the width; the running jobs are cut first when the height is short. Control characters in what
 * the daemon sent (job ids, messages) are shown as {@code ?}, so a job cannot drive the terminal.
 * Stateless; thread-safe.
 */
public final class Screen {

  /** What the last line says on a terminal. */
  static final String KEYS = "q quit";

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private Screen() {}

  /**
   * @param before the previous snapshot (for rates), or {@code null}
   * @param width the number of columns
   * @param height the number of rows, or 0 for no limit
   * @param problem a line to show above the keys (such as a failed refresh), or {@code null}
   */
  public static List<String> render(
      Snapshot before, Snapshot now, int width, int height, String problem) {
    List<String> head = new ArrayList<>();
    long busy = now.number("workers_busy");
    long max = now.number("workers_max");
    head.add(
        String.format(
            Locale.ROOT,
            "jobhost top - pid %s, %s, up %s, at %s",
            now.field("pid"),
            now.field("state"),
            org.jobhost.api.Durations.format(Duration.ofSeconds(now.number("uptime_s"))),
            CLOCK.format(now.now())));
    head.add(String.format(Locale.ROOT, "slots %d/%d busy %s", busy, max, bar(busy, max)));
    head.add(
        String.format(
            Locale.ROOT,
            "jobs  started %d  succeeded %d  failed %d  timed out %d  cancelled %d  retried %d",
            now.number("jobs_started"),
            now.number("jobs_succeeded"),
            now.number("jobs_failed"),
            now.number("jobs_timed_out"),
            now.number("jobs_cancelled"),
            now.number("jobs_retried")));
    head.add("");

    List<String> rates = new ArrayList<>();
    Rates r = Rates.between(before, now);
    rates.add("");
    rates.add(
        r.sinceStart()
            ? "RATES per second (average since start)"
            : String.format(
                Locale.ROOT, "RATES per second (last %.1f s)", r.over().toMillis() / 1000.0));
    rates.add(String.format(Locale.ROOT, "%-20s %9s %9s %9s", "TYPE", "STARTED", "DONE", "FAILED"));
    for (Rates.Row row : r.rows()) {
      rates.add(
          String.format(
              Locale.ROOT,
              "%-20s %9.2f %9.2f %9.2f",
              safe(row.type()),
              row.started(),
              row.ended(),
              row.notSucceeded()));
    }
    if (r.rows().isEmpty()) {
      rates.add("(no job has started yet)");
    }
    rates.add("");
    rates.add("LAST FAILURES");
    for (Snapshot.Failure f : now.failures()) {
      rates.add(
          String.format(
              Locale.ROOT,
              "%-8s %-10s %-12s %-24s %s",
              CLOCK.format(f.ended()),
              f.outcome(),
              safe(f.type()),
              safe(f.id()),
              safe(f.message())));
    }
    if (now.failures().isEmpty()) {
      rates.add("(none)");
    }
    List<String> tail = new ArrayList<>();
    if (problem != null) {
      tail.add(safe(problem));
    }

    List<String> running = new ArrayList<>();
    running.add(String.format(Locale.ROOT, "RUNNING %d", now.runningTotal()));
    running.add(
        String.format(
            Locale.ROOT,
            "%-30s %-12s %-12s %-8s %9s",
            "ID",
            "TYPE",
            "SOURCE",
            "STARTED",
            "ELAPSED"));
    List<Snapshot.Running> jobs = now.running();
    int room =
        height <= 0
            ? jobs.size()
            : Math.max(1, height - head.size() - running.size() - rates.size() - tail.size() - 1);
    for (int i = 0; i < jobs.size() && i < room; i++) {
      Snapshot.Running j = jobs.get(i);
      running.add(
          String.format(
              Locale.ROOT,
              "%-30s %-12s %-12s %-8s %9s",
              safe(j.id()),
              safe(j.type()),
              safe(j.source()),
              CLOCK.format(j.started()),
              elapsed(j.elapsed(now.now()))));
    }
    int hidden = now.runningTotal() - Math.min(room, jobs.size());
    if (hidden > 0) {
      running.add("... and " + hidden + " more");
    }

    List<String> all = new ArrayList<>(head);
    all.addAll(running);
    all.addAll(rates);
    all.addAll(tail);
    List<String> out = new ArrayList<>();
    for (String line : all) {
      if (height > 0 && out.size() >= height) {
        break;
      }
      out.add(line.length() > width ? line.substring(0, Math.max(0, width)) : line);
    }
    return out;
  }

  /** {@code [##--]}: one mark per slot, at most 40. */
  static String bar(long busy, long max) {
    if (max <= 0 || max > 40) {
      return "";
    }
    return "["
        + "#".repeat((int) Math.min(busy, max))
        + "-".repeat((int) Math.max(0, max - busy))
        + "]";
  }

  /** {@code 12s}, {@code 3m05s}, {@code 2h03m}. */
  static String elapsed(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  static String safe(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : c);
    }
    return sb.toString();
  }
}
