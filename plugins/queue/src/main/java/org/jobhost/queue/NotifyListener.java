package org.jobhost.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jobhost.client.JobQueueClient;
import org.jobhost.store.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code queue-listen} loop (PostgreSQL): holds one connection outside the pool with {@code
 * LISTEN jobhost_jobs} and calls the wake callback whenever an enqueue commits, so an idle host
 * starts the job at once instead of at its next poll. Polling remains the fallback: a lost
 * connection is re-opened after a pause and nothing is missed meanwhile but latency.
 *
 * <p>Thread-safe: the loop runs on its own thread; {@link #close} may come from any thread.
 */
final class NotifyListener {

  private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);

  /** How long one wait for notifications lasts; bounds how long {@link #close} waits. */
  static final Duration WAIT = Duration.ofMillis(500);

  private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);

  private final Database db;
  private final Runnable wake;
  private volatile boolean stopped;
  private Thread thread;

  NotifyListener(Database db, Runnable wake) {
    this.db = db;
    this.wake = wake;
  }

  void start() {
    thread = new Thread(this::loop, "queue-listen");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stopped) {
      try (Connection c = db.dedicatedConnection()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + JobQueueClient.CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        log.debug("plugin=queue listening on {} at {}", JobQueueClient.CHANNEL, db.location());
        while (!stopped) {
          PGNotification[] n = pg.getNotifications((int) WAIT.toMillis());
          if (n != null && n.length > 0) {
            wake.run();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped) {
          return;
        }
        log.warn(
            "plugin=queue LISTEN on {} failed: {}; polling meanwhile, reconnecting in {} ms",
            db.location(),
            e.getMessage(),
            RECONNECT_PAUSE.toMillis());
        try {
          Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Stops the loop, waiting up to a few waits for it. */
  void close() throws InterruptedException {
    stopped = true;
    if (thread != null) {
      thread.join(4 * WAIT.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        log.warn("plugin=queue thread queue-listen did not end in time; interrupted it");
      }
    }
  }
}
