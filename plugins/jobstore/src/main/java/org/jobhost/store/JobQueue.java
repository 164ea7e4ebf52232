package org.jobhost.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jobhost.client.JobQueueClient;
import org.jobhost.client.NewJob;
import org.jobhost.client.Params;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue over the {@code jobs} and {@code hosts} tables, for one or many hosts.
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

  private static final int MAX_ERROR = 2000;

  private static final String COLUMNS =
      "id, type, params, priority, run_at, attempt, max_attempts, timeout_ms, unique_key, state,"
          + " claimed_by, last_error";

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
            + COLUMNS;
    List<QueuedJob> out =
        db.transaction(
            "claim jobs for host " + host,
            c -> {
              Map<Long, String> broken = new LinkedHashMap<>();
              List<QueuedJob> claimed;
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, host);
                ps.setInt(2, max);
                claimed = read(ps, broken);
              }
              for (Map.Entry<Long, String> b : broken.entrySet()) {
                try (PreparedStatement ps =
                    prepare(
                        c,
                        "UPDATE jobs SET state = 'dead', ended_at = "
                            + now
                            + ", heartbeat = NULL, last_error = ? WHERE id = ? AND claimed_by = ?"
                            + " AND state = 'running'",
                        clip(b.getValue()),
                        b.getKey(),
                        host)) {
                  ps.executeUpdate();
                }
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
    return update(
        "record the end of job " + id,
        "UPDATE jobs SET state = ?, ended_at = "
            + now
            + ", last_error = COALESCE(?, last_error), heartbeat = NULL"
            + " WHERE id = ? AND attempt = ? AND claimed_by = ? AND state = 'running'",
        succeeded ? "succeeded" : "dead",
        clip(error),
        id,
        attempt,
        host);
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
            + ", heartbeat = NULL WHERE id = ? AND attempt = ? AND claimed_by = ? AND state ="
            + " 'running'";
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
    return update(
        "queue the retry of job " + id,
        "UPDATE jobs SET state = 'queued', attempt = attempt + 1, run_at = "
            + now
            + " + ?, claimed_by = NULL, claimed_at = NULL, heartbeat = NULL, last_error = ?"
            + " WHERE id = ? AND attempt = ? AND claimed_by = ? AND state = 'running'",
        Math.max(0, delay.toMillis()),
        clip(error),
        id,
        attempt,
        host);
  }

  /**
   * Gives a claimed attempt back unchanged (the host stopped before or while it ran): it runs again
   * as the same attempt, on any host.
   *
   * @return {@code false} when the attempt was no longer this host's
   */
  public boolean release(long id, int attempt, String host, String reason) {
    return update(
        "give job " + id + " back to the queue",
        "UPDATE jobs SET state = 'queued', claimed_by = NULL, claimed_at = NULL, heartbeat = NULL,"
            + " last_error = ? WHERE id = ? AND attempt = ? AND claimed_by = ? AND state ="
            + " 'running'",
        clip(reason),
        id,
        attempt,
        host);
  }

  /**
   * Records this host's heartbeat (inserting its row at the first beat) and refreshes the heartbeat
   * of every job it runs.
   *
   * @return the state the row had before this beat ({@code dead} when another host had given this
   *     one up), or empty at the first beat
   */
  public Optional<String> beat(
      String host, long pid, String version, Instant startedAt, String state, int running) {
    return db.transaction(
        "record the heartbeat of host " + host,
        c -> {
          Optional<String> before = Optional.empty();
          try (PreparedStatement ps =
              prepare(c, "SELECT state FROM hosts WHERE name = ?" + forUpdate(), host)) {
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                before = Optional.of(rs.getString(1));
              }
            }
          }
          if (before.isEmpty()) {
            execute(
                c,
                "INSERT INTO hosts (name, pid, version, started_at, last_heartbeat, state, running)"
                    + " VALUES (?, ?, ?, ?, "
                    + now
                    + ", ?, ?)",
                host,
                pid,
                version,
                startedAt.toEpochMilli(),
                state,
                running);
          } else {
            execute(
                c,
                "UPDATE hosts SET pid = ?, version = ?, started_at = ?, last_heartbeat = "
                    + now
                    + ", state = ?, running = ? WHERE name = ?",
                pid,
                version,
                startedAt.toEpochMilli(),
                state,
                running,
                host);
          }
          execute(
              c,
              "UPDATE jobs SET heartbeat = " + now + " WHERE state = 'running' AND claimed_by = ?",
              host);
          return before;
        });
  }

  private String forUpdate() {
    return db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
  }

  /**
   * A job taken back from a host that stopped heartbeating.
   *
   * @param id the job
   * @param host the host it was claimed by
   * @param attempt the attempt that was cut off
   * @param state {@code queued} (it runs again, as the next attempt) or {@code dead} (that was its
   *     last attempt)
   */
  public record Recovered(long id, String host, int attempt, String state) {}

  /**
   * Declares hosts whose heartbeat is older than {@code deadAfter} dead, and sends every running
   * job whose heartbeat is that old back to the queue with its attempt counted (or to {@code dead}
   * when it was the last). Any live host may call it; concurrent calls skip each other's rows.
   *
   * @return the hosts declared dead now, and the jobs recovered
   */
  public Recovery recover(Duration deadAfter) {
    long ms = deadAfter.toMillis();
    return db.transaction(
        "recover the jobs of dead hosts",
        c -> {
          List<String> dead = new ArrayList<>();
          try (PreparedStatement ps =
              prepare(
                  c,
                  "SELECT name FROM hosts WHERE state NOT IN ('dead', 'stopped') AND last_heartbeat"
                      + " < "
                      + now
                      + " - ?"
                      + db.dialect().skipLocked(),
                  ms)) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                dead.add(rs.getString(1));
              }
            }
          }
          for (String h : dead) {
            execute(c, "UPDATE hosts SET state = 'dead', running = 0 WHERE name = ?", h);
          }
          List<Recovered> jobs = new ArrayList<>();
          try (PreparedStatement ps =
              prepare(
                  c,
                  "SELECT id, claimed_by, attempt, max_attempts FROM jobs WHERE state = 'running'"
                      + " AND (heartbeat IS NULL OR heartbeat < "
                      + now
                      + " - ?) ORDER BY id"
                      + db.dialect().skipLocked(),
                  ms)) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int attempt = rs.getInt(3);
                int max = rs.getInt(4);
                String state = max > 0 && attempt >= max ? "dead" : "queued";
                jobs.add(new Recovered(rs.getLong(1), rs.getString(2), attempt, state));
              }
            }
          }
          for (Recovered r : jobs) {
            String error =
                "host "
                    + r.host()
                    + " stopped heartbeating while attempt "
                    + r.attempt()
                    + " ran (declared dead after "
                    + ms
                    + " ms)";
            requeueRecovered(c, r, error);
          }
          return new Recovery(dead, jobs);
        });
  }

  /**
   * Takes back the jobs still marked running on {@code host} from an earlier life of this host (a
   * crash, or kill -9, and a restart under the same name, before anyone declared it dead): they go
   * back to the queue with the attempt counted, or to {@code dead} when it was the last. Call it
   * once at start, before the first heartbeat, which would otherwise keep them alive.
   *
   * @return the jobs taken back
   */
  public List<Recovered> recoverOwn(String host) {
    return db.transaction(
        "recover the jobs host " + host + " left running",
        c -> {
          List<Recovered> jobs = new ArrayList<>();
          try (PreparedStatement ps =
              prepare(
                  c,
                  "SELECT id, attempt, max_attempts FROM jobs WHERE state = 'running' AND"
                      + " claimed_by = ? ORDER BY id"
                      + db.dialect().skipLocked(),
                  host)) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int attempt = rs.getInt(2);
                int max = rs.getInt(3);
                jobs.add(
                    new Recovered(
                        rs.getLong(1),
                        host,
                        attempt,
                        max > 0 && attempt >= max ? "dead" : "queued"));
              }
            }
          }
          for (Recovered r : jobs) {
            requeueRecovered(
                c,
                r,
                "host " + host + " stopped (restarted) while attempt " + r.attempt() + " ran");
          }
          return jobs;
        });
  }

  private void requeueRecovered(Connection c, Recovered r, String error) throws SQLException {
    if (r.state().equals("dead")) {
      execute(
          c,
          "UPDATE jobs SET state = 'dead', ended_at = "
              + now
              + ", claimed_by = NULL, heartbeat = NULL, last_error = ? WHERE id = ?",
          error,
          r.id());
    } else {
      execute(
          c,
          "UPDATE jobs SET state = 'queued', attempt = attempt + 1, run_at = "
              + now
              + ", claimed_by = NULL, claimed_at = NULL, heartbeat = NULL, last_error = ?"
              + " WHERE id = ?",
          error,
          r.id());
    }
  }

  /**
   * What one {@link #recover} call did.
   *
   * @param deadHosts hosts declared dead
   * @param jobs jobs sent back to the queue or to dead
   */
  public record Recovery(List<String> deadHosts, List<Recovered> jobs) {
    /** Copies. */
    public Recovery {
      deadHosts = List.copyOf(deadHosts);
      jobs = List.copyOf(jobs);
    }
  }

  /** Marks the host stopped (its last beat): nothing of it runs any more. */
  public void leave(String host) {
    update(
        "record the stop of host " + host,
        "UPDATE hosts SET state = 'stopped', running = 0, last_heartbeat = "
            + now
            + " WHERE name = ?",
        host);
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
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT 1 FROM jobs WHERE state = 'queued' AND run_at <= "
                          + now
                          + " LIMIT 1");
              ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
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
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COUNT(*) FROM jobs WHERE state = 'queued'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The hosts, by name. */
  public List<HostRow> hosts() {
    return db.transaction(
        "read the hosts",
        c -> {
          List<HostRow> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, pid, version, started_at, last_heartbeat, state, running, "
                          + now
                          + " - last_heartbeat FROM hosts ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new HostRow(
                      rs.getString(1),
                      rs.getLong(2),
                      rs.getString(3),
                      Instant.ofEpochMilli(rs.getLong(4)),
                      Instant.ofEpochMilli(rs.getLong(5)),
                      rs.getString(6),
                      rs.getInt(7),
                      rs.getLong(8) / 1000.0));
            }
          }
          return out;
        });
  }

  /** Job counts by type, then state. */
  public Map<String, Map<String, Long>> stats() {
    return db.transaction(
        "count jobs",
        c -> {
          Map<String, Map<String, Long>> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT type, state, COUNT(*) FROM jobs GROUP BY type, state ORDER BY type,"
                          + " state");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                  .put(rs.getString(2), rs.getLong(3));
            }
          }
          return out;
        });
  }

  /**
   * What this queue's rows tell about a job type: whether a host ever ran a job of it to success
   * (or runs one now), and the error of the newest job of it that died because its host had no
   * runner for it. The hosts do not record which types they can run; this is the evidence there is,
   * and it fades as ended jobs are pruned.
   *
   * @param ran a job of the type succeeded or is running
   * @param noRunner the {@code last_error} of the newest dead job of the type that found no runner,
   *     or {@code null}
   */
  public record TypeRecord(boolean ran, String noRunner) {}

  /** The evidence this queue holds about whether some host can run {@code type}. */
  public TypeRecord typeRecord(String type) {
    return db.transaction(
        "read what the queue knows about type " + type,
        c -> {
          boolean ran;
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT COUNT(*) FROM jobs WHERE type = ? AND state IN ('succeeded',"
                          + " 'running')",
                      type);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            ran = rs.getLong(1) > 0;
          }
          String noRunner = null;
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT last_error FROM jobs WHERE type = ? AND state = 'dead' AND"
                          + " last_error LIKE 'no runner for job type%' ORDER BY id DESC LIMIT 1",
                      type);
              ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              noRunner = rs.getString(1);
            }
          }
          return new TypeRecord(ran, noRunner);
        });
  }

  /** Jobs in {@code state}, oldest first, at most {@code limit}. */
  public List<QueuedJob> jobs(String state, int limit) {
    return db.transaction(
        "list " + state + " jobs",
        c -> {
          try (PreparedStatement ps =
              prepare(
                  c,
                  "SELECT " + COLUMNS + " FROM jobs WHERE state = ? ORDER BY id LIMIT ?",
                  state,
                  limit)) {
            return read(ps);
          }
        });
  }

  /** One job. */
  public Optional<QueuedJob> job(long id) {
    return db.transaction(
        "read job " + id,
        c -> {
          try (PreparedStatement ps =
              prepare(c, "SELECT " + COLUMNS + " FROM jobs WHERE id = ?", id)) {
            return read(ps).stream().findFirst();
          }
        });
  }

  /**
   * Queues a dead or cancelled job again, from attempt 1, due now.
   *
   * @return {@code false} when there is no such dead or cancelled job
   * @throws StoreException when a live job holds its unique key
   */
  public boolean requeue(long id) {
    return update(
        "queue job " + id + " again",
        "UPDATE jobs SET state = 'queued', attempt = 1, run_at = "
            + now
            + ", ended_at = NULL, claimed_by = NULL WHERE id = ? AND state IN ('dead',"
            + " 'cancelled')",
        id);
  }

  /** Queues every dead job again; returns how many. Jobs whose unique key is live again stay. */
  public int requeueAllDead() {
    return db.transaction(
        "queue all dead jobs again",
        c ->
            execute(
                c,
                "UPDATE jobs SET state = 'queued', attempt = 1, run_at = "
                    + now
                    + ", ended_at = NULL, claimed_by = NULL WHERE state = 'dead' AND (unique_key IS"
                    + " NULL OR unique_key NOT IN (SELECT unique_key FROM jobs WHERE state IN"
                    + " ('queued', 'running') AND unique_key IS NOT NULL))"));
  }

  /**
   * Cancels a queued job (a running one cannot be stopped from here).
   *
   * @return {@code false} when there is no queued job with that id
   */
  public boolean cancel(long id) {
    return update(
        "cancel job " + id,
        "UPDATE jobs SET state = 'cancelled', ended_at = "
            + now
            + " WHERE id = ? AND state = 'queued'",
        id);
  }

  /**
   * Deletes succeeded and cancelled jobs that ended longer than {@code keep} ago, and the rows of
   * hosts stopped or dead for that long.
   *
   * @return how many jobs were deleted
   */
  public int prune(Duration keep) {
    return db.transaction(
        "prune finished jobs",
        c -> {
          execute(
              c,
              "DELETE FROM hosts WHERE state IN ('stopped', 'dead') AND last_heartbeat < "
                  + now
                  + " - ?",
              keep.toMillis());
          return execute(
              c,
              "DELETE FROM jobs WHERE state IN ('succeeded', 'cancelled') AND ended_at < "
                  + now
                  + " - ?",
              keep.toMillis());
        });
  }

  private boolean update(String what, String sql, Object... args) {
    return db.transaction(what, c -> execute(c, sql, args) > 0);
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a == null) {
          ps.setNull(i + 1, Types.VARCHAR);
        } else if (a instanceof String) {
          ps.setString(i + 1, (String) a);
        } else if (a instanceof Integer) {
          ps.setInt(i + 1, (Integer) a);
        } else {
          ps.setLong(i + 1, ((Number) a).longValue());
        }
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  /** Why a row's params cannot be read, and what to do: a sentence for {@code last_error}. */
  static String badParams(long id, RuntimeException e) {
    return "job "
        + id
        + " has params that are not a JSON object of strings, numbers and booleans ("
        + e.getMessage()
        + "); it was marked dead without running: enqueue it again with valid params";
  }

  private static List<QueuedJob> read(PreparedStatement ps) throws SQLException {
    return read(ps, null);
  }

  /**
   * Rows as jobs. A row whose {@code params} cannot be read is put into {@code broken} (id →
   * reason) and left out when {@code broken} is given, else shown with no params and the reason as
   * its last error, so that listing a queue never fails on one bad row.
   */
  private static List<QueuedJob> read(PreparedStatement ps, Map<Long, String> broken)
      throws SQLException {
    List<QueuedJob> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong("id");
        long timeout = rs.getLong("timeout_ms");
        Duration t = rs.wasNull() || timeout <= 0 ? null : Duration.ofMillis(timeout);
        Map<String, String> params;
        String lastError = rs.getString("last_error");
        try {
          params = Params.fromJson(rs.getString("params"));
        } catch (RuntimeException e) {
          String reason = badParams(id, e);
          if (broken != null) {
            broken.put(id, reason);
            continue;
          }
          params = Map.of();
          lastError = reason;
        }
        out.add(
            new QueuedJob(
                id,
                rs.getString("type"),
                params,
                rs.getInt("priority"),
                Instant.ofEpochMilli(rs.getLong("run_at")),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                t,
                rs.getString("unique_key"),
                rs.getString("state"),
                rs.getString("claimed_by"),
                lastError));
      }
    }
    return out;
  }

  private static String clip(String s) {
    return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
  }
}
