package org.jobhost.cron;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jobhost.store.Run;
import org.jobhost.store.RunRequest;
import org.jobhost.store.Store;
import org.jobhost.store.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a starting scheduler does about its previous life: closes the runs this host left open as
 * interrupted, and queues a rerun of each cron task that asks for one ({@code rerun_interrupted}).
 * Stateless.
 */
final class StartupRecovery {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  private StartupRecovery() {}

  /**
   * Closes the open runs of {@code host} in one transaction and logs each.
   *
   * @return the runs closed
   */
  static List<Run> closeInterrupted(Store store, String host, Instant now) {
    List<Run> interrupted =
        store.transaction(
            tx -> {
              List<Run> closed = tx.closeInterrupted(host, now);
              for (Run r : closed) {
                rerunIfAsked(tx, r, now);
              }
              return closed;
            });
    for (Run r : interrupted) {
      log.warn(
          "job={} task={} host={} was still running when the host stopped; recorded as INTERRUPTED",
          r.start().jobId(),
          r.subject(),
          host);
    }
    return interrupted;
  }

  private static void rerunIfAsked(Store.Tx tx, Run r, Instant now) {
    String name = r.start().task();
    if (!Store.SOURCE_CRON.equals(r.start().source()) || name == null) {
      return;
    }
    Optional<Task> t = tx.task(name);
    if (t.isPresent() && t.get().rerunInterrupted()) {
      Instant fire = r.start().fireTime() != null ? r.start().fireTime() : now;
      tx.addRequest(
          new RunRequest(
              0,
              name,
              RunRequest.Reason.INTERRUPTED,
              now,
              r.start().attempt(),
              fire,
              r.start().jobId(),
              now));
    }
  }
}
