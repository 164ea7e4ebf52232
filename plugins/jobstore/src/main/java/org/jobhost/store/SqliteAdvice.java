package org.jobhost.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * What an operator should do when an SQLite file cannot be opened: a file that is not a database
 * (or is corrupt) needs moving aside, not a look at permissions. Stateless.
 */
final class SqliteAdvice {

  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_NOTADB = 26;

  private SqliteAdvice() {}

  /** Whether the driver says the file is no SQLite database, or a corrupt one. */
  static boolean notADatabase(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        int primary = ((SQLException) t).getErrorCode() & 0xff;
        String m = String.valueOf(t.getMessage());
        if (primary == SQLITE_NOTADB
            || primary == SQLITE_CORRUPT
            || m.contains("SQLITE_NOTADB")
            || m.contains("SQLITE_CORRUPT")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The advice that ends a message about {@code file} failing to open with {@code e}. */
  static String forOpen(Path file, Throwable e) {
    if (!notADatabase(e)) {
      return "; check the path and permissions";
    }
    return "; the file is not an SQLite database, or a corrupt one. To recover, stop jobhost, move"
        + " it aside (mv "
        + file
        + " "
        + file
        + ".bad) and start again: a new, empty database is created; the worklog, the queue and"
        + " tasks added with jobhost tasks add are lost, the tasks of the configuration come back";
  }
}
