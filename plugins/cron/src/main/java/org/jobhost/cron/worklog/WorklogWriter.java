package org.jobhost.cron.worklog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jobhost.store.Store;
import org.jobhost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the worklog rows of {@link WorklogListener} in the order they come, and loses none while
 * the database cannot be written (a full disk, a read-only file): a row the database refuses is
 * kept in memory, with every row after it, and written again with a backoff ({@link #FIRST_BACKOFF}
 * doubling up to {@link #MAX_BACKOFF}) until the database takes it. At most {@code bound} rows
 * wait. While the database cannot be written, rows past the bound are dropped and counted; while it
 * can, a full queue only means the jobs end faster than their rows are written, and the caller
 * waits until the writing thread has made room, so the host runs at the worklog's pace and no row
 * is lost. It logs once when writes start failing (naming the database and the fix), once when they
 * work again (with the count written), and the exact count of dropped rows.
 *
 * <p>Group commit: the rows that come while a transaction commits are written together in the next
 * one (at most {@link #MAX_BATCH}), so concurrent job ends share one commit instead of queueing for
 * one each. A caller that finds a commit in progress leaves its row to that commit's thread and
 * returns at once; its row is written after the rows before it, in order. The worklog of the host's
 * own jobs is history, not a claim: no job waits for its row (the cron source records its own runs
 * before it hands them out, in its own transaction).
 *
 * <p>Retries come with the next row, from {@link #retryDue} (a thread started at the first failure
 * calls it every second) and from {@link #flush}. Thread-safe: one transaction at a time, and no
 * lock held while it runs.
 */
final class WorklogWriter {

  /** The most rows kept in memory while the database cannot be written. */
  static final int DEFAULT_BOUND = 10_000;

  /** The most rows written in one transaction. */
  static final int MAX_BATCH = 512;

  /** The wait before the first retry after a failure. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** The longest wait between retries. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(WorklogWriter.class);

  private final Store store;
  private final Clock clock;
  private final int bound;
  private final ArrayDeque<Consumer<Store.Tx>> pending = new ArrayDeque<>();
  private boolean failing;
  private Instant retryAt = Instant.MIN;
  private Duration backoff = FIRST_BACKOFF;
  private long dropped;
  private ScheduledExecutorService retrier;

  /** Whether a thread is writing the waiting rows (it writes until none waits). */
  private boolean draining;

  private long transactions;

  WorklogWriter(Store store, Clock clock, int bound) {
    this.store = store;
    this.clock = clock;
    this.bound = bound;
  }

  /**
   * Writes a row now, or keeps it behind the rows already waiting; never throws for a database that
   * cannot be written.
   */
  void write(Consumer<Store.Tx> row) {
    synchronized (this) {
      awaitRoom();
      if (!enqueue(row) || draining || (failing && clock.instant().isBefore(retryAt))) {
        return;
      }
      draining = true;
    }
    drain();
  }

  /**
   * While another thread writes to a database that takes rows, waits until the queue is below the
   * bound: a full queue then slows the jobs down instead of losing their rows. Returns at once
   * while the database refuses rows (the bound then protects the host's memory) or when no thread
   * writes (the caller writes itself). Keeps an interrupt for the caller.
   */
  private void awaitRoom() {
    waitWhile(() -> draining && !failing && pending.size() >= bound);
  }

  /**
   * Waits on this object's monitor (held by the caller) while {@code condition} holds; an interrupt
   * does not end the wait and is kept for the caller.
   */
  private void waitWhile(BooleanSupplier condition) {
    boolean interrupted = false;
    while (condition.getAsBoolean()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Keeps a row behind the others; false when it was dropped past the bound, which happens only
   * while the database refuses rows ({@link #awaitRoom} holds the caller back otherwise).
   */
  private boolean enqueue(Consumer<Store.Tx> row) {
    if (failing && pending.size() >= bound) {
      if (dropped++ == 0) {
        log.error(
            "plugin=cron worklog: {} rows wait for {}; dropping further rows until it can be"
                + " written (the count is logged then, or at stop)",
            bound,
            store.location());
      }
      return false;
    }
    pending.addLast(row);
    return true;
  }

  /** Writes the waiting rows if their retry is due; returns whether none waits. */
  boolean retryDue() {
    synchronized (this) {
      if (pending.isEmpty() || draining || clock.instant().isBefore(retryAt)) {
        return pending.isEmpty() && !draining;
      }
      draining = true;
    }
    drain();
    synchronized (this) {
      return pending.isEmpty();
    }
  }

  /** Waits until no other thread writes, then takes the writing over. */
  private synchronized void takeOver() {
    waitWhile(() -> draining);
    draining = true;
  }

  /**
   * Tries once more to write every waiting row, due or not (at stop), and stops the retries; logs
   * the rows that are lost. Returns how many rows could not be written.
   */
  int flush() {
    takeOver();
    drain();
    synchronized (this) {
      return afterFlush();
    }
  }

  private int afterFlush() {
    if (retrier != null) {
      retrier.shutdownNow();
      retrier = null;
    }
    int left = pending.size();
    if (left > 0 || dropped > 0) {
      log.error(
          "plugin=cron worklog: {} rows are lost at stop: {} could not be written to {}, {} were"
              + " dropped past the bound of {}; free space on its disk or make it writable",
          left + dropped,
          left,
          store.location(),
          dropped,
          bound);
      pending.clear();
      dropped = 0;
    }
    return left;
  }

  /** How many rows wait (for tests). */
  synchronized int waiting() {
    return pending.size();
  }

  /** How many transactions wrote rows (for tests and benchmarks). */
  synchronized long transactions() {
    return transactions;
  }

  /**
   * Writes batches of the waiting rows until none waits or the database refuses one; called by the
   * thread that set {@code draining}, which it clears before returning.
   */
  private void drain() {
    int written = 0;
    try {
      while (true) {
        List<Consumer<Store.Tx>> batch = new ArrayList<>();
        synchronized (this) {
          Iterator<Consumer<Store.Tx>> it = pending.iterator();
          while (it.hasNext() && batch.size() < MAX_BATCH) {
            batch.add(it.next());
          }
        }
        if (batch.isEmpty()) {
          break;
        }
        try {
          store.update(tx -> batch.forEach(row -> row.accept(tx)));
        } catch (RuntimeException e) {
          synchronized (this) {
            failed(e);
          }
          return;
        }
        synchronized (this) {
          for (int i = 0; i < batch.size(); i++) {
            pending.removeFirst();
          }
          transactions++;
          notifyAll();
        }
        written += batch.size();
      }
      synchronized (this) {
        recovered(written);
      }
    } finally {
      synchronized (this) {
        draining = false;
        notifyAll();
      }
    }
  }

  private void recovered(int written) {
    if (failing) {
      failing = false;
      backoff = FIRST_BACKOFF;
      log.info(
          "plugin=cron worklog: {} can be written again; wrote the {} rows kept meanwhile",
          store.location(),
          written);
      if (dropped > 0) {
        log.error(
            "plugin=cron worklog: {} rows were dropped while {} could not be written (more than {}"
                + " waited)",
            dropped,
            store.location(),
            bound);
        dropped = 0;
      }
    }
  }

  private void failed(RuntimeException e) {
    retryAt = clock.instant().plus(backoff);
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    if (failing) {
      return;
    }
    failing = true;
    log.error(
        "plugin=cron worklog: cannot write to {}: {}; keeping up to {} rows in memory and retrying"
            + " until it can be written. Free space on the disk of {} or make it writable",
        store.location(),
        e instanceof StoreException ? e.getMessage() : e.toString(),
        bound,
        store.location());
    if (retrier == null) {
      retrier =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "cron-worklog-retry");
                t.setDaemon(true);
                return t;
              });
      retrier.scheduleWithFixedDelay(this::retryQuietly, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void retryQuietly() {
    try {
      retryDue();
    } catch (RuntimeException e) {
      log.warn("plugin=cron worklog: retry failed: {}", e.toString());
    }
  }
}
