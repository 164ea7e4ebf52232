package org.jobhost.store;

import static org.jobhost.store.Jdbc.execute;
import static org.jobhost.store.Jdbc.first;
import static org.jobhost.store.Jdbc.list;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's membership over the {@code hosts} table: each host's heartbeat, the declaring dead
 * of hosts that stopped beating, and the recovery of the jobs they left running (back to the queue
 * with the attempt counted, or to {@code dead} when it was the last); and the housekeeping a live
 * host does beside its heartbeat, pruning what ended long ago.
 *
 * <p>Thread-safe: each method is one transaction on the {@link Database}.
 */
public final class HostRegistry {

  private final Database db;
  private final String now;

  /** A registry on an open database. */
  public HostRegistry(Database db) {
    this.db = db;
    this.now = db.dialect().nowMillis();
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
          Optional<String> before =
              first(
                  c,
                  "SELECT state FROM hosts WHERE name = ?" + forUpdate(),
                  rs -> rs.getString(1),
                  host);
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
   * @param state {@link JobState#QUEUED} (it runs again, as the next attempt) or {@link
   *     JobState#DEAD} (that was its last attempt)
   */
  public record Recovered(long id, String host, int attempt, JobState state) {}

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
          List<String> dead =
              list(
                  c,
                  "SELECT name FROM hosts WHERE state NOT IN ('dead', 'stopped') AND last_heartbeat"
                      + " < "
                      + now
                      + " - ?"
                      + db.dialect().skipLocked(),
                  rs -> rs.getString(1),
                  ms);
          for (String h : dead) {
            execute(c, "UPDATE hosts SET state = 'dead', running = 0 WHERE name = ?", h);
          }
          List<Recovered> jobs =
              list(
                  c,
                  "SELECT id, claimed_by, attempt, max_attempts FROM jobs WHERE state = 'running'"
                      + " AND (heartbeat IS NULL OR heartbeat < "
                      + now
                      + " - ?) ORDER BY id"
                      + db.dialect().skipLocked(),
                  rs -> lost(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4)),
                  ms);
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
          List<Recovered> jobs =
              list(
                  c,
                  "SELECT id, attempt, max_attempts FROM jobs WHERE state = 'running' AND"
                      + " claimed_by = ? ORDER BY id"
                      + db.dialect().skipLocked(),
                  rs -> lost(rs.getLong(1), host, rs.getInt(2), rs.getInt(3)),
                  host);
          for (Recovered r : jobs) {
            requeueRecovered(
                c,
                r,
                "host " + host + " stopped (restarted) while attempt " + r.attempt() + " ran");
          }
          return jobs;
        });
  }

  /** A job whose attempt {@code attempt} of {@code maxAttempts} was cut off on {@code host}. */
  private static Recovered lost(long id, String host, int attempt, int maxAttempts) {
    return new Recovered(id, host, attempt, JobState.afterLostAttempt(attempt, maxAttempts));
  }

  private void requeueRecovered(Connection c, Recovered r, String error) throws SQLException {
    if (r.state() == JobState.DEAD) {
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
    Jdbc.changed(
        db,
        "record the stop of host " + host,
        "UPDATE hosts SET state = 'stopped', running = 0, last_heartbeat = "
            + now
            + " WHERE name = ?",
        host);
  }

  /** The hosts, by name. */
  public List<HostRow> hosts() {
    return db.transaction(
        "read the hosts",
        c ->
            list(
                c,
                "SELECT name, pid, version, started_at, last_heartbeat, state, running, "
                    + now
                    + " - last_heartbeat FROM hosts ORDER BY name",
                rs ->
                    new HostRow(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        rs.getString(6),
                        rs.getInt(7),
                        rs.getLong(8) / 1000.0)));
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
}
