package org.jobhost.host.cli.progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jobhost.api.Stats;

/**
 * Redraws the progress line in place on stderr ({@code \r}, the line, erase to the end, {@code \r})
 * every {@link #TICK}, and ends it with a line feed on {@link #close()}. Runs on one daemon thread
 * ("jobhost-progress"): the dispatcher sleeps for idle_time between polls, and the line must move
 * while jobs run. Thread-safe.
 */
public final class Progress implements AutoCloseable {

  /** How often the line is redrawn. */
  static final Duration TICK = Duration.ofMillis(250);

  private final Supplier<Stats> stats;
  private final Supplier<OptionalLong> waiting;
  private final PrintStream err;
  private final long startedAt = System.nanoTime();
  private final long doneAtStart;
  private final Thread thread;
  private volatile boolean closed;

  private Progress(Supplier<Stats> stats, Supplier<OptionalLong> waiting, PrintStream err) {
    this.stats = stats;
    this.waiting = waiting;
    this.err = err;
    this.doneAtStart = stats.get().completed();
    this.thread = new Thread(this::loop, "jobhost-progress");
    thread.setDaemon(true);
  }

  /**
   * Starts the line when stderr is a terminal.
   *
   * @param stats the daemon's counters
   * @param waiting the jobs the sources still hold, empty when they cannot tell
   * @return the running line, or {@code null} when stderr is not a terminal (pipes and files stay
   *     clean)
   */
  public static Progress startOnTerminal(Supplier<Stats> stats, Supplier<OptionalLong> waiting) {
    if (!stderrIsTerminal()) {
      return null;
    }
    Progress p = new Progress(stats, waiting, System.err);
    p.thread.start();
    return p;
  }

  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private void loop() {
    while (!closed) {
      draw();
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void draw() {
    Stats s = stats.get();
    OptionalLong w;
    try {
      w = waiting.get();
    } catch (RuntimeException e) {
      w = OptionalLong.empty();
    }
    String line =
        ProgressLine.format(
            s.completed() - doneAtStart,
            s.running(),
            w,
            Duration.ofNanos(System.nanoTime() - startedAt));
    // The cursor goes back to the start of the line, so that a log line written to the same
    // terminal meanwhile overwrites the progress instead of being appended to it.
    err.print("\rjobhost: " + line + "\033[K\r");
    err.flush();
  }

  /** Draws the last line and ends it. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    draw();
    synchronized (this) {
      err.println();
    }
  }
}
