package org.jobhost.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The task table, the plan (each task's next fire) and the worklog (every run), behind one
 * transaction at a time.
 *
 * <p>Thread-safe: transactions of one store run one after another; several stores (or processes)
 * may open the same database, and the database serialises their writes. Every method may block
 * briefly for the database (a write lock held by another process is waited for up to the busy
 * timeout), so call it from threads that may block: never from a signal handler.
 *
 * <p>Failures throw {@link StoreException} naming the database; a failed transaction is rolled back
 * whole.
 */
public interface Store extends AutoCloseable {

  /** The worklog's {@code source} for runs of cron tasks. */
  String SOURCE_CRON = "cron";

  /** The worklog's {@code source} for jobs of other sources, recorded from the host's events. */
  String SOURCE_HOST = "host";

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Do
   * not call back into this store from inside {@code work}.
   */
  <T> T transaction(Work<T> work);

  /** Runs {@code work} in one transaction, for writes that return nothing. */
  default void update(Consumer<Tx> work) {
    transaction(
        tx -> {
          work.accept(tx);
          return null;
        });
  }

  /**
   * A number that changes when another connection (another process, or another store on the same
   * file) committed a change; this store's own commits leave it alone. Cheap enough to ask on every
   * poll: a running daemon uses it to pick up changes made by {@code jobhost tasks}.
   */
  long changeCount();

  /** Where the data lives, for messages: a file path or a JDBC URL without credentials. */
  String location();

  /** Closes the connection. Idempotent. */
  @Override
  void close();

  /** All tasks, by name. */
  default List<Task> tasks() {
    return transaction(Tx::tasks);
  }

  /** The worklog rows that {@code query} selects, newest first. */
  default List<Run> history(HistoryQuery query) {
    return transaction(tx -> tx.history(query));
  }

  /** One unit of work inside {@link #transaction}. */
  @FunctionalInterface
  interface Work<T> {
    /** Does the work; the transaction commits when this returns. */
    T apply(Tx tx);
  }

  /**
   * The verbs available inside a transaction. Valid only during {@link Work#apply}; not thread-safe
   * (it is confined to the calling thread for that time).
   */
  interface Tx {

    /** All tasks, ordered by name. */
    List<Task> tasks();

    /** One task. */
    Optional<Task> task(String name);

    /**
     * Inserts or replaces a task. A changed schedule or time zone, or a task that ends up disabled,
     * drops its plan entry so that it is planned afresh from now.
     *
     * @return {@code true} when the task was new or changed
     */
    boolean putTask(Task task, Instant now);

    /**
     * Removes a task with its plan, parameters and pending requests; its worklog stays.
     *
     * @return {@code false} when there was no such task
     */
    boolean removeTask(String name);

    /**
     * Replaces the configuration file's tasks: puts each of {@code configured} (keeping an enabled
     * override set from the command line) and removes config tasks no longer listed. Tasks added
     * from the command line are left alone, unless a configured task takes their name: the file
     * wins.
     */
    Sync syncConfigTasks(List<Task> configured, Instant now);

    /** The plan: each planned task's next fire time (before jitter). */
    Map<String, Instant> plan();

    /** Sets a task's next fire time. */
    void setPlan(String task, Instant nextFire, Instant now);

    /** Removes a task's plan entry, so that it is planned afresh. */
    void clearPlan(String task);

    /** Pending run requests, oldest {@code notBefore} first. */
    List<RunRequest> requests();

    /**
     * Adds a run request.
     *
     * @return its id
     */
    long addRequest(RunRequest request);

    /**
     * Takes a request: deletes it, so that exactly one taker starts it.
     *
     * @return {@code false} when someone else took it first
     */
    boolean takeRequest(long id);

    /**
     * Claims one fire of a task: the first claimer of {@code (task, fireTime)} wins, across every
     * connection to the database.
     *
     * @return {@code false} when the fire was claimed before
     */
    boolean claimFire(String task, Instant fireTime, String host, Instant now);

    /**
     * Records a run's start; {@code source}, job id and attempt identify it until its end.
     *
     * @return the run's id
     */
    long runStarted(RunStart start);

    /**
     * Records a run of another source's job, unless a run of that job id and attempt is already
     * open on this host (the cron source recorded its own job before handing it out).
     *
     * @return the new run's id, or empty when the run was already recorded
     */
    Optional<Long> runStartedUnlessOpen(RunStart start);

    /**
     * Records the end of run {@code id}, if it is still open.
     *
     * @return {@code false} when there was no open run with that id
     */
    boolean runEnded(long id, RunEnd end);

    /**
     * Records the end of the open run of {@code source} with this job id and attempt on this host.
     *
     * @return the run's id, or empty when no such run was open
     */
    Optional<Long> runEnded(String source, String jobId, int attempt, String host, RunEnd end);

    /**
     * Closes every run left open by {@code host} as {@link RunOutcome#INTERRUPTED}: the host died
     * while they went. Call it once when the daemon starts, before it runs anything.
     *
     * @return the runs closed, with their new ends
     */
    List<Run> closeInterrupted(String host, Instant now);

    /** The worklog rows that {@code query} selects, newest first. */
    List<Run> history(HistoryQuery query);

    /**
     * Deletes ended runs beyond the newest {@code keepPerSubject} of each task (or other source)
     * and ended runs that ended before {@code endedBefore}, and fire claims older than that.
     *
     * @return how many runs were deleted
     */
    int prune(int keepPerSubject, Instant endedBefore);
  }

  /**
   * What a config sync changed.
   *
   * @param added tasks new in the table
   * @param changed tasks whose definition changed
   * @param removed config tasks no longer in the file
   */
  record Sync(int added, int changed, int removed) {}
}
