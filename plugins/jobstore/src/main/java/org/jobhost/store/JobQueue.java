package org.jobhost.store;

import static org.jobhost.store.Jdbc.execute;
import static org.jobhost.store.Jdbc.first;
import static org.jobhost.store.JobRows.clip;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jobhost.client.JobQueueClient;
import org.jobhost.client.NewJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the job queue over the {@code jobs} table, for one or many hosts: enqueue,
 * claim, and write back the end of an attempt. The cluster's membership is {@link HostRegistry};
 * what an operator does to the queue is {@link QueueAdmin}.
 *
 * <p>Claiming marks a batch of due jobs {@code running} for one host in one statement; on
 * PostgreSQL the batch is picked {@code FOR UPDATE SKIP LOCKED}, so hosts never wait on each other
 * and never take the same job. Every write-back names the job id, attempt and claiming host, so it
 * is idempotent and a host that lost its claim (declared dead while it was only slow) changes
 * nothing. All times are the database's clock, so hosts whose clocks drift agree.
 *
 * <p>Thread-safe: each method is one transaction on the {@link Database}.
 */
public final class JobQueue {

  private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

  /**
   * The condition of every write-back, whose parameters are the job id, the attempt and the host:
   * the attempt still runs on the host that claimed it.
   */
  private static final String STILL_CLAIMED =
      " WHERE id = ? AND attempt = ? AND claimed_by = ? AND state = 'running'";

  private final Database db;
  private final String now;

  /** A queue on an open database. */
  public JobQueue(Database db) {
    this.db = db;
    this.now = db.dialect().nowMillis();
  }

  /** The database, for messages. */
  public String location() {
    return db.location();
  }

  /** The dialect. */
  public Dialect dialect() {
    return db.dialect();
  }

  /**
   * Enqueues a job in its own transaction.
   *
   * @return its id, or empty when a live job holds the same unique key
   */
  public OptionalLong enqueue(NewJob job) {
    return db.transaction(
        "enqueue a job of type " + job.type(), c -> JobQueueClient.enqueue(c, job));
  }

  /**
   * Claims up to {@code max} due jobs for {@code host}, highest priority first, then oldest due.
   *
   * <p>A claimed row that cannot be read as a job (its {@code params} are not a JSON object of
   * scalars, say) is marked {@code dead} in the same transaction, with the reason in {@code
   * last_error}, and left out of the result: one bad row never rolls back the claim of the others.
   *
   * @return the claimed jobs, now {@code running} on {@code host}
   */
  public List<QueuedJob> claim(String host, int max) {
    String sql =
        "UPDATE jobs SET state = 'running', claimed_by = ?, claimed_at = "
            + now
            + ", heartbeat = "
            + now
            + " WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= "
            + now
            + " ORDER BY priority DESC, run_at, id LIMIT ?"
            + db.dialect().skipLocked()
            + ") RETURNING "
            + JobRows.COLUMNS;
    List<QueuedJob> out =
        db.transaction(
            "claim jobs for host " + host,
            c -> {
              Map<Long, String> broken = new LinkedHashMap<>();
              List<QueuedJob> claimed;
              try (StatementCache.Use u = StatementCache.use(c, sql, host, max)) {
                claimed = u.done(JobRows.read(u.statement(), broken));
              }
              for (Map.Entry<Long, String> b : broken.entrySet()) {
                execute(
                    c,
                    "UPDATE jobs SET state = 'dead', ended_at = "
                        + now
                        + ", heartbeat = NULL, last_error = ? WHERE id = ? AND claimed_by = ?"
                        + " AND state = 'running'",
                    clip(b.getValue()),
                    b.getKey(),
                    host);
                log.error("job={} host={} {}", b.getKey(), host, b.getValue());
              }
              return claimed;
            });
    out.sort(
        Comparator.comparingInt(QueuedJob::priority)
            .reversed()
            .thenComparing(QueuedJob::runAt)
            .thenComparingLong(QueuedJob::id));
    return out;
  }

  /**
   * Ends a running attempt for good: {@code succeeded} or {@code dead} (no attempts left; kept for
   * {@code jobhost queue dead} and {@code retry}). A success keeps the error of an earlier attempt
   * (a job recovered from a dead host says so).
   *
   * @return {@code false} when the attempt was no longer this host's (recovered by another host)
   */
  public boolean finish(long id, int attempt, String host, boolean succeeded, String error) {
    return writeBack(
        "record the end of job " + id,
        "state = ?, ended_at = " + now + ", last_error = COALESCE(?, last_error), heartbeat = NULL",
        id,
        attempt,
        host,
        succeeded ? JobState.SUCCEEDED : JobState.DEAD,
        clip(error));
  }

  /**
   * One running attempt that succeeded.
   *
   * @param id the job
   * @param attempt the attempt that succeeded
   */
  public record Success(long id, int attempt) {}

  /**
   * Marks many running attempts of {@code host} succeeded in one transaction (one commit for all).
   *
   * @return for each, in order, whether it was still this host's
   */
  public boolean[] succeeded(String host, List<Success> done) {
    String sql =
        "UPDATE jobs SET state = 'succeeded', ended_at = "
            + now
            + ", heartbeat = NULL"
            + STILL_CLAIMED;
    return db.transaction(
        "record the success of " + done.size() + " jobs",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Success d : done) {
              ps.setLong(1, d.id());
              ps.setInt(2, d.attempt());
              ps.setString(3, host);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            boolean[] mine = new boolean[counts.length];
            for (int i = 0; i < counts.length; i++) {
              mine[i] = counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
            }
            return mine;
          }
        });
  }

  /**
   * Queues the next attempt of a failed one, {@code delay} from now on the database's clock.
   *
   * @return {@code false} when the attempt was no longer this host's
   */
  public boolean retry(long id, int attempt, String host, Duration delay, String error) {
    return writeBack(
        "queue the retry of job " + id,
        "state = 'queued', attempt = attempt + 1, run_at = "
            + now
            + " + ?, claimed_by = NULL, claimed_at = NULL, heartbeat = NULL, last_error = ?",
        id,
        attempt,
        host,
        Math.max(0, delay.toMillis()),
        clip(error));
  }

  /**
   * Gives a claimed attempt back unchanged (the host stopped before or while it ran): it runs again
   * as the same attempt, on any host.
   *
   * @return {@code false} when the attempt was no longer this host's
   */
  public boolean release(long id, int attempt, String host, String reason) {
    return writeBack(
        "give job " + id + " back to the queue",
        "state = 'queued', claimed_by = NULL, claimed_at = NULL, heartbeat = NULL, last_error = ?",
        id,
        attempt,
        host,
        clip(reason));
  }

  /**
   * Sets {@code assignments} (with {@code values} for their parameters) on attempt {@code attempt}
   * of job {@code id} if it still runs on {@code host}, in its own transaction.
   *
   * @return whether it did: {@code false} when the attempt was no longer this host's
   */
  private boolean writeBack(
      String what, String assignments, long id, int attempt, String host, Object... values) {
    Object[] args = Arrays.copyOf(values, values.length + 3);
    args[values.length] = id;
    args[values.length + 1] = attempt;
    args[values.length + 2] = host;
    return Jdbc.changed(db, what, "UPDATE jobs SET " + assignments + STILL_CLAIMED, args);
  }

  /**
   * A number that changes whenever another connection (another process, or another pool of this
   * one) committed a change to the database: SQLite's {@code PRAGMA data_version}, which reads no
   * table. Changes made through this queue's own connection do not count. PostgreSQL has no such
   * thing: there it answers a new number on every call, so callers always look.
   */
  public long changeCount() {
    if (db.dialect() != Dialect.SQLITE) {
      return System.nanoTime();
    }
    return db.autocommit(
        "read the data version",
        c -> {
          try (java.sql.Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("PRAGMA data_version")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /**
   * Whether a queued job is due now: one read outside a transaction, so it takes no write lock and
   * waits for no writer (a claim does both).
   */
  public boolean anyDue() {
    return db.autocommit(
        "look for a due job",
        c ->
            first(
                    c,
                    "SELECT 1 FROM jobs WHERE state = 'queued' AND run_at <= " + now + " LIMIT 1",
                    rs -> true)
                .isPresent());
  }

  /**
   * How long until the earliest queued job is due (zero when one is due now), if any is queued. A
   * read outside a transaction, like {@link #anyDue()}.
   */
  public Optional<Duration> nextDueIn() {
    return db.autocommit(
        "read the next due time",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT MIN(run_at) - " + now + " FROM jobs WHERE state = 'queued'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            long ms = rs.getLong(1);
            return rs.wasNull()
                ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.max(0, ms)));
          }
        });
  }

  /** How many jobs are queued, due now or later (an indexed count). */
  public long queued() {
    return db.transaction(
        "count the queued jobs",
        c ->
            first(c, "SELECT COUNT(*) FROM jobs WHERE state = 'queued'", rs -> rs.getLong(1))
                .orElseThrow());
  }
}
