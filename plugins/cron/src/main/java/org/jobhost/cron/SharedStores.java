package org.jobhost.cron;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;

/**
 * One open connection per database file for the extensions of this plugin in one process, counted
 * by users: the cron source and the worklog listener share it.
 *
 * <p>Why shared: SQLite's {@code PRAGMA data_version} (which the scheduler polls to notice {@code
 * jobhost tasks} run in another process) changes on every commit made through <em>another</em>
 * connection. With a connection of its own, each run the listener records would make the scheduler
 * re-read the whole task table on its next poll. Commits through the shared connection do not count
 * as changes, so only other processes' writes trigger a re-read.
 *
 * <p>Why static: the plugin API has no plugin-wide object to hang shared state on, and each
 * extension is created by the host on its own. The map lives in this plugin's class loader, so it
 * goes away with the plugin. Thread-safe.
 */
final class SharedStores {

  private static final Map<Path, Entry> OPEN = new HashMap<>();

  private static final class Entry {
    final SqliteStore store;
    int users;

    Entry(SqliteStore store) {
      this.store = store;
    }
  }

  private SharedStores() {}

  /**
   * Opens {@code file}, or joins the connection already open to it. Close the returned handle once;
   * the connection closes with its last handle.
   */
  static Store acquire(Path file, Clock clock) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (OPEN) {
      Entry e = OPEN.get(key);
      if (e == null) {
        e = new Entry(SqliteStore.open(key, clock));
        OPEN.put(key, e);
      }
      e.users++;
      return new Handle(key, e.store);
    }
  }

  /** How many handles are open on {@code file} (for tests). */
  static int users(Path file) {
    synchronized (OPEN) {
      Entry e = OPEN.get(file.toAbsolutePath().normalize());
      return e == null ? 0 : e.users;
    }
  }

  private static void release(Path key) {
    SqliteStore toClose = null;
    synchronized (OPEN) {
      Entry e = OPEN.get(key);
      if (e != null && --e.users == 0) {
        OPEN.remove(key);
        toClose = e.store;
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  /** A user's view of a shared store; {@link #close} releases it once. Thread-safe. */
  private static final class Handle implements Store {
    private final Path key;
    private final SqliteStore store;
    private boolean closed;

    Handle(Path key, SqliteStore store) {
      this.key = key;
      this.store = store;
    }

    @Override
    public <T> T transaction(Work<T> work) {
      return store.transaction(work);
    }

    @Override
    public long changeCount() {
      return store.changeCount();
    }

    @Override
    public String location() {
      return store.location();
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(key);
    }
  }
}
