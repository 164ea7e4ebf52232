package org.jobhost.cron.worklog;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.PostgresStore;
import org.jobhost.store.Store;

/**
 * One open store (a SQLite connection, or a PostgreSQL pool) per database for the extensions of
 * this plugin in one process, counted by users: the cron source and the worklog listener share it.
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
public final class SharedStores {

  private static final Map<String, Entry> OPEN = new HashMap<>();

  private static final class Entry {
    final Store store;
    int users;

    Entry(Store store) {
      this.store = store;
    }
  }

  private SharedStores() {}

  /**
   * Opens the database, or joins the store already open to it. Close the returned handle once; the
   * store closes with its last handle.
   */
  public static Handle acquire(DatabaseSettings database, Clock clock) {
    String key = database.location();
    synchronized (OPEN) {
      Entry e = OPEN.get(key);
      if (e == null) {
        e = new Entry(PostgresStore.openAny(database, "cron", clock));
        OPEN.put(key, e);
      }
      e.users++;
      return new Handle(key, e.store);
    }
  }

  /** How many handles are open on a database (for tests). */
  public static int users(DatabaseSettings database) {
    synchronized (OPEN) {
      Entry e = OPEN.get(database.location());
      return e == null ? 0 : e.users;
    }
  }

  private static void release(String key) {
    Store toClose = null;
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
  public static final class Handle extends ForwardingStore {
    private final String key;
    private boolean closed;

    Handle(String key, Store store) {
      super(store);
      this.key = key;
    }

    /** The shared store itself, to see which kind of database it is. */
    public Store underlying() {
      return delegate();
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
