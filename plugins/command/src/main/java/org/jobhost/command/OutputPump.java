package org.jobhost.command;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads a child's output to its end, logging each line to the {@value #LOGGER} logger at INFO with
 * the MDC key {@value #MDC_KEY} set to the job id, up to a byte limit, and keeping the last lines
 * for the outcome. Past the limit it logs one marker line and reads on, logging nothing, so the
 * child never blocks on a full pipe. Memory is bounded: one read buffer, one line buffer and the
 * tail, whatever the child prints.
 *
 * <p>Lines are decoded as UTF-8 (malformed bytes become U+FFFD), a trailing {@code \r} is dropped,
 * control characters are escaped in the log ({@link #escapeControls}), and a line longer than
 * {@value #MAX_LINE_BYTES} bytes is split into pieces of that size, each logged and kept as a line
 * of its own.
 *
 * <p>Thread-safe as used: {@link #run} runs on one reader thread and owns all state but the tail;
 * {@link #tail} and {@link #awaitEnd} may be called from any thread.
 */
final class OutputPump implements Runnable {

  /** The logger that receives every output line. */
  static final String LOGGER = "job.output";

  /** The MDC key holding the job id on every output line. */
  static final String MDC_KEY = Job.MDC_KEY;

  static final int MAX_LINE_BYTES = 8192;

  private static final int READ_BUFFER_BYTES = 8192;
  private static final Logger output = LoggerFactory.getLogger(LOGGER);
  private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

  private final InputStream in;
  private final String jobId;
  private final long limit;
  private final int tailLines;
  private final ArrayDeque<String> tail; // guarded by itself
  private final CountDownLatch ended = new CountDownLatch(1);

  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int lineLength;
  private long loggedBytes;
  private boolean truncated;

  /**
   * @param in the child's output; closed at its end
   * @param jobId put in the MDC of every line
   * @param limit how many bytes (newlines included) to log; whole lines only
   * @param tailLines how many last lines to keep
   */
  OutputPump(InputStream in, String jobId, long limit, int tailLines) {
    this.in = in;
    this.jobId = jobId;
    this.limit = limit;
    this.tailLines = tailLines;
    this.tail = new ArrayDeque<>(tailLines);
  }

  @Override
  public void run() {
    MDC.put(MDC_KEY, jobId);
    try (InputStream stream = in) {
      byte[] buffer = new byte[READ_BUFFER_BYTES];
      int n;
      while ((n = stream.read(buffer)) != -1) {
        accept(buffer, n);
      }
    } catch (IOException e) {
      log.debug("job={} type=command output ended early: {}", jobId, e.toString());
    } finally {
      if (lineLength > 0) {
        endLine(false);
      }
      MDC.remove(MDC_KEY);
      ended.countDown();
    }
  }

  private void accept(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      byte b = buffer[i];
      if (b == '\n') {
        endLine(true);
      } else {
        if (lineLength == MAX_LINE_BYTES) {
          endLine(false);
        }
        line[lineLength++] = b;
      }
    }
  }

  private void endLine(boolean newline) {
    int length = lineLength;
    lineLength = 0;
    int end = newline && length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    String text = new String(line, 0, end, UTF_8);
    long size = newline ? length + 1L : length;
    if (!truncated) {
      if (loggedBytes + size <= limit) {
        output.info(escapeControls(text));
        loggedBytes += size;
      } else {
        truncated = true;
        output.info("[output truncated after {} bytes]", loggedBytes);
      }
    }
    if (tailLines > 0) {
      synchronized (tail) {
        if (tail.size() == tailLines) {
          tail.removeFirst();
        }
        tail.addLast(text);
      }
    }
  }

  /**
   * The line as it is logged: control characters other than tab (C0, DEL, C1), which could forge
   * log lines, move the cursor or recolour a terminal reading the log, are written as {@code \xNN}
   * (the character's code in hex). The outcome's tail keeps the line as printed.
   */
  static String escapeControls(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f);
      if (control) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(String.format("\\x%02x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Waits until the output reached its end (every writer closed it) or {@code timeout} passed.
   *
   * @return whether the end was reached
   */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * As {@link #awaitEnd}, but an interrupt does not end the wait early; the thread's interrupt
   * status is set again before returning if one came.
   */
  boolean awaitEndUninterruptibly(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The last lines read so far, joined with {@code \n}. */
  String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }
}
