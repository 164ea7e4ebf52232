package org.jobhost.spool;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's one thread ({@code jobhost-spool-watcher}, a daemon thread): waits for files to
 * appear in {@code incoming/} and wakes the dispatcher, which then polls the spool. It never
 * touches a file itself. If the watch service fails, the dispatcher's idle sleep still rescans the
 * directory, only later. Thread-safe: {@link #stop} may be called from any thread.
 */
final class SpoolWatcher {

  private static final Logger log = LoggerFactory.getLogger(SpoolWatcher.class);

  static final String THREAD_NAME = "jobhost-spool-watcher";

  private final WatchService watch;
  private final Thread thread;

  /**
   * Watches {@code dir}: {@code wake} runs after each batch of changes, {@code lost} once if the
   * directory stops being watched while the source runs (it was deleted, or the watch failed).
   */
  SpoolWatcher(Path dir, Runnable wake, Runnable lost) throws IOException {
    this.watch = FileSystems.getDefault().newWatchService();
    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    this.thread = new Thread(() -> loop(wake, lost), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(Runnable wake, Runnable lost) {
    try {
      while (true) {
        WatchKey key = watch.take();
        key.pollEvents();
        wake.run();
        if (!key.reset()) {
          log.warn("spool directory is no longer watched (deleted?); falling back to rescans");
          lost.run();
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the source is stopping
    } catch (RuntimeException e) {
      log.warn(
          "spool watcher stopped ({}); new files are found by the periodic rescan", e.toString());
      lost.run();
    }
  }

  /** Stops the thread, waiting for it at most a second. */
  void stop() throws IOException, InterruptedException {
    watch.close();
    thread.join(1000);
  }
}
