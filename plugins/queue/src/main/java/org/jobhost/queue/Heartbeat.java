package org.jobhost.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jobhost.store.HostRegistry;
import org.jobhost.store.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code queue-heartbeat} loop: every interval, this host's row and its running jobs get a
 * fresh heartbeat; hosts and jobs whose heartbeat is older than {@code dead_after} are recovered
 * (any live host does it; concurrent hosts skip each other's rows); finished jobs are pruned now
 * and then. It keeps beating while the host drains during a graceful stop, and ends only in {@link
 * #close}, which the host calls after the last job ended.
 *
 * <p>Jobs it puts back into the queue are announced through the {@code recovered} callback (the
 * source's own writes are not seen by its change check, and the host can start them at once).
 *
 * <p>Thread-safe: {@link #runOnce} is called by the loop thread (and by tests); {@link #close} from
 * any thread.
 */
final class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

  private final HostRegistry hosts;
  private final QueueSettings settings;
  private final IntSupplier running;
  private final Supplier<String> state;
  private final Runnable beforeBeat;
  private final Runnable recovered;
  private final Instant startedAt;
  private final Object lock = new Object();
  private volatile boolean stopped;
  private Thread thread;
  private long lastPrune = System.nanoTime();

  Heartbeat(
      HostRegistry hosts,
      QueueSettings settings,
      IntSupplier running,
      Supplier<String> state,
      Runnable beforeBeat,
      Runnable recovered,
      Instant startedAt) {
    this.beforeBeat = beforeBeat;
    this.recovered = recovered;
    this.hosts = hosts;
    this.settings = settings;
    this.running = running;
    this.state = state;
    this.startedAt = startedAt;
  }

  /**
   * Takes back the jobs an earlier life of this host left running (see {@link
   * HostRegistry#recoverOwn}); call once, before {@link #start()}.
   */
  void recoverOwn() {
    for (HostRegistry.Recovered r : hosts.recoverOwn(settings.hostName())) {
      log.warn(
          "job={} host={} attempt={} was still running when this host last stopped; {}",
          r.id(),
          r.host(),
          r.attempt(),
          r.state() == JobState.DEAD
              ? "that was its last attempt: moved to dead (jobhost queue retry " + r.id() + ")"
              : "queued again as attempt " + (r.attempt() + 1));
    }
  }

  /** Beats once now (so the host's row exists), then starts the loop thread. */
  void start() {
    runOnce();
    thread = new Thread(this::loop, "queue-heartbeat");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stopped) {
      synchronized (lock) {
        try {
          lock.wait(Math.max(1, settings.heartbeatInterval().toMillis()));
        } catch (InterruptedException e) {
          return;
        }
      }
      if (stopped) {
        return;
      }
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.warn(
            "plugin=queue host={} heartbeat failed: {}; retrying in {} ms (jobs of this host are"
                + " recovered by others if this lasts longer than dead_after)",
            settings.hostName(),
            e.getMessage(),
            settings.heartbeatInterval().toMillis());
      }
    }
  }

  /** One beat: outcomes left over from a database failure, refresh, recover, prune. */
  void runOnce() {
    beforeBeat.run();
    String host = settings.hostName();
    Optional<String> before =
        hosts.beat(
            host,
            QueueSettings.pid(),
            QueueSettings.version(),
            startedAt,
            state.get(),
            running.getAsInt());
    if (before.isPresent() && before.get().equals("dead")) {
      log.warn(
          "plugin=queue host={} had been declared dead by another host (no heartbeat for {} ms);"
              + " its jobs went back to the queue and outcomes of jobs it still runs are ignored;"
              + " check for long pauses or a slow database",
          host,
          settings.deadAfter().toMillis());
    }
    HostRegistry.Recovery r = hosts.recover(settings.deadAfter());
    for (String dead : r.deadHosts()) {
      log.warn(
          "plugin=queue host={} declared host {} dead: no heartbeat for more than {} ms",
          host,
          dead,
          settings.deadAfter().toMillis());
    }
    for (HostRegistry.Recovered j : r.jobs()) {
      log.warn(
          "job={} host={} attempt={} was running on a host that stopped heartbeating; {}",
          j.id(),
          j.host(),
          j.attempt(),
          j.state() == JobState.DEAD
              ? "it was its last attempt: moved to dead (jobhost queue retry " + j.id() + ")"
              : "queued again as attempt " + (j.attempt() + 1));
    }
    if (!r.jobs().isEmpty()) {
      recovered.run();
    }
    long nowNanos = System.nanoTime();
    if (nowNanos - lastPrune > PRUNE_INTERVAL.toNanos()) {
      lastPrune = nowNanos;
      int n = hosts.prune(settings.keepDone());
      if (n > 0) {
        log.debug("plugin=queue pruned {} finished jobs", n);
      }
    }
  }

  /** Stops the loop, waiting up to two intervals for it. */
  void close() throws InterruptedException {
    stopped = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    if (thread != null) {
      thread.join(Math.max(2000, 2 * settings.heartbeatInterval().toMillis()));
      if (thread.isAlive()) {
        log.warn("plugin=queue thread queue-heartbeat did not end in time; leaving it (daemon)");
      }
    }
  }
}
