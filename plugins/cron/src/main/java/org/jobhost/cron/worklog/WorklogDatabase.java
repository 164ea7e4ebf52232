package org.jobhost.cron.worklog;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.PostgresStore;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;

/**
 * Where the worklog (and the task table beside it) lives, and the name runs are recorded under,
 * read from the {@code [plugins.cron]} section. Stateless.
 */
public final class WorklogDatabase {

  private WorklogDatabase() {}

  /**
   * The database: {@code database_url} (PostgreSQL, shared by a cluster), else the SQLite file
   * {@code database} relative to the home directory, else {@code state_dir/jobhost.db}.
   */
  public static DatabaseSettings of(PluginSettings s, PluginContext context) {
    return DatabaseSettings.parse(
        s, context, context.stateDirectory().getParent().resolve(SqliteStore.DEFAULT_FILE_NAME));
  }

  /** Opens a store of its own on the database the section names (for the command line). */
  public static Store open(PluginSettings s, PluginContext context) {
    return PostgresStore.openAny(of(s, context), "cron", context.clock());
  }

  /** {@code host_name}, else this machine's name: recorded with every run. */
  public static String hostName(PluginSettings s) {
    return s.string("host_name").orElseGet(WorklogDatabase::localHostName);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
