package org.jobhost.cron;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The SQLite stores a test opens, closed after each test ({@code @RegisterExtension}); each {@link
 * #open} is a connection of its own, as another process's would be. Not thread-safe.
 */
public final class OpenStores implements AfterEachCallback {

  private final List<Store> open = new ArrayList<>();

  /** Opens {@code file} with {@code clock}; it closes after the test. */
  public Store open(Path file, Clock clock) {
    Store s = SqliteStore.open(file, clock);
    open.add(s);
    return s;
  }

  /** Closes every store opened so far (a test's restart of the host); later opens are new. */
  public void closeAll() {
    open.forEach(Store::close);
    open.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeAll();
  }
}
