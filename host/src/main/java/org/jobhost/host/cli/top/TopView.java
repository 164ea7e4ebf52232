package org.jobhost.host.cli.top;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code jobhost top}: on a terminal, a screen refreshed every interval until {@code q} (or
 * Ctrl-C); otherwise one snapshot printed once. A failed refresh is shown on the screen and tried
 * again at the next tick, so a daemon that restarts is picked up again. Not thread-safe; one use.
 */
public final class TopView {

  /** Reads one {@code top} answer from the daemon. */
  @FunctionalInterface
  public interface Source {
    /**
     * @return the answer's fields
     * @throws IOException when the daemon does not answer, or refuses (the message says why)
     */
    Map<String, String> fetch() throws IOException;
  }

  /** The width of one snapshot printed to a pipe or file. */
  static final int PIPE_WIDTH = 160;

  private final Source source;
  private final Clock clock;

  /**
   * @param source reads the daemon
   * @param clock the fallback time of an answer without {@code now}
   */
  public TopView(Source source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** Whether stdout is a terminal (else {@link #once} is the view). */
  public static boolean stdoutIsTerminal() {
    return Terminal.isTerminal(1);
  }

  /**
   * Prints one snapshot (rates are averages since the daemon started).
   *
   * @throws IOException when the daemon does not answer
   */
  public void once(PrintWriter out) throws IOException {
    Snapshot now = Snapshot.parse(source.fetch(), clock.instant());
    for (String line : Screen.render(null, now, PIPE_WIDTH, 0, null)) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Shows the live view on the controlling terminal until {@code q}.
   *
   * @param interval the time between refreshes
   * @throws IOException when the first snapshot cannot be read or the terminal cannot be set up
   */
  public void live(PrintStream out, Duration interval) throws IOException, InterruptedException {
    Snapshot before = null;
    Snapshot now = Snapshot.parse(source.fetch(), clock.instant());
    Terminal terminal;
    try {
      terminal = Terminal.open(out);
    } catch (IOException e) {
      throw new IOException(
          "cannot set up the terminal (" + e.getMessage() + "); use --once for one snapshot", e);
    }
    try (Terminal t = terminal) {
      String problem = null;
      while (true) {
        int[] size = t.size();
        List<String> lines =
            new java.util.ArrayList<>(Screen.render(before, now, size[1], size[0] - 1, problem));
        lines.add(Screen.KEYS + "   refresh " + org.jobhost.api.Durations.format(interval));
        t.draw(lines);
        long until = System.nanoTime() + interval.toNanos();
        long left;
        while ((left = (until - System.nanoTime()) / 1_000_000) > 0) {
          int k = t.key(left);
          if (k == 'q' || k == 'Q' || k == 3 || k == 4) {
            return;
          }
        }
        try {
          Snapshot next = Snapshot.parse(source.fetch(), clock.instant());
          before = now;
          now = next;
          problem = null;
        } catch (IOException e) {
          problem = "refresh failed: " + e.getMessage();
        }
      }
    }
  }
}
