package org.jobhost.host.cli.progress;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Formats one progress line: {@code 42 done of 100 (42%), 3 running, 12.5 jobs/s, ETA 5s}; without
 * a known total, {@code 42 done, 3 running, 12.5 jobs/s}. Stateless; thread-safe.
 */
public final class ProgressLine {

  private ProgressLine() {}

  /**
   * @param done attempts ended since the run began
   * @param running jobs running now
   * @param waiting jobs the sources still hold, when they can tell
   * @param elapsed time since the run began
   */
  public static String format(long done, int running, OptionalLong waiting, Duration elapsed) {
    double seconds = elapsed.toMillis() / 1000.0;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder sb = new StringBuilder();
    sb.append(done).append(" done");
    if (waiting.isPresent()) {
      long total = done + running + waiting.getAsLong();
      sb.append(" of ").append(total);
      if (total > 0) {
        sb.append(" (").append(done * 100 / total).append("%)");
      }
    }
    sb.append(", ").append(running).append(" running");
    sb.append(String.format(Locale.ROOT, ", %.1f jobs/s", rate));
    if (waiting.isPresent()) {
      long left = running + waiting.getAsLong();
      if (left == 0) {
        sb.append(", ETA 0s");
      } else if (rate > 0) {
        sb.append(", ETA ").append(eta(Duration.ofMillis((long) (left / rate * 1000))));
      } else {
        sb.append(", ETA ?");
      }
    }
    return sb.toString();
  }

  /** {@code 45s}, {@code 3m05s}, {@code 2h03m}. */
  static String eta(Duration d) {
    long s = Math.max(0, (d.toMillis() + 999) / 1000);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
