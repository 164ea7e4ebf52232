package org.jobhost.cron.worklog;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.store.RunEnd;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.RunStart;
import org.jobhost.store.Store;

/**
 * Records in the worklog every job the host runs that the cron source did not hand out (a spool
 * file, a queue message), so that {@code jobhost history} shows all work of the host. A cron job is
 * recorded by the cron source before it leaves {@code poll}; this listener sees that run open and
 * does not record it twice.
 *
 * <p>Thread-safe: called on worker threads, overlapping; each call is one short transaction on the
 * connection it shares with the cron source ({@link SharedStores}), so the source does not take the
 * listener's writes for changes to the task table.
 *
 * <p>Nothing is lost while the database cannot be written: rows it refuses wait in memory (at most
 * {@link WorklogWriter#DEFAULT_BOUND}) and are written again with a backoff ({@link
 * WorklogWriter}). At {@link #close} (a graceful stop, after the host drained its jobs) the waiting
 * rows get a last try, and a run this listener opened whose end it never heard of is closed as
 * CANCELLED, so that a graceful stop leaves no run RUNNING.
 */
public final class WorklogListener implements HostListener {

  /** The message of a run closed at {@link #close} because its end never came. */
  static final String ENDED_AT_STOP = "the host stopped before the end of the run was recorded";

  private final UnaryOperator<Store> decorate;
  private final int bound;
  private final Set<Attempt> open = ConcurrentHashMap.newKeySet();
  private Store store;
  private Clock clock;
  private String host;
  private WorklogWriter writer;

  /** One attempt of a job this listener saw start. */
  private record Attempt(String jobId, int attempt) {}

  /** Created by the host; nothing happens before {@link #init}. */
  public WorklogListener() {
    this(UnaryOperator.identity(), WorklogWriter.DEFAULT_BOUND);
  }

  /** For tests: wraps the store (to make it fail on demand) and sets the bound of waiting rows. */
  WorklogListener(UnaryOperator<Store> decorate, int bound) {
    this.decorate = decorate;
    this.bound = bound;
  }

  @Override
  public void init(PluginContext context) {
    this.clock = context.clock();
    this.host = WorklogDatabase.hostName(context.settings());
    this.store =
        SharedStores.acquire(WorklogDatabase.of(context.settings(), context), context.clock());
    this.writer = new WorklogWriter(decorate.apply(store), clock, bound);
  }

  /** The writer (for tests: retries, rows waiting). */
  WorklogWriter writer() {
    return writer;
  }

  @Override
  public void jobStarted(Job job) {
    RunStart start =
        new RunStart(
            Store.SOURCE_HOST,
            null,
            job.id(),
            job.type(),
            job.attempt(),
            null,
            clock.instant(),
            host);
    open.add(new Attempt(job.id(), job.attempt()));
    writer.write(tx -> tx.runStartedUnlessOpen(start));
  }

  @Override
  public void jobEnded(Job job, Outcome outcome) {
    open.remove(new Attempt(job.id(), job.attempt()));
    end(job.id(), job.attempt(), RunEnds.of(outcome, clock.instant(), ""));
  }

  private void end(String jobId, int attempt, RunEnd end) {
    writer.write(tx -> tx.runEnded(Store.SOURCE_HOST, jobId, attempt, host, end));
  }

  /**
   * Closes as CANCELLED the runs whose end never came, writes what waits (one last try) and
   * releases the database. A cron job's run is not touched here: it is the cron source's ({@code
   * runEnded} of the host source finds no open row for it).
   */
  @Override
  public void close() {
    if (store == null) {
      return;
    }
    try {
      for (Attempt a : List.copyOf(open)) {
        end(
            a.jobId(),
            a.attempt(),
            new RunEnd(clock.instant(), RunOutcome.CANCELLED, null, ENDED_AT_STOP, ""));
      }
      open.clear();
      writer.flush();
    } finally {
      store.close();
      store = null;
    }
  }
}
