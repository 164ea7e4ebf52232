package org.jobhost.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.store.Database;
import org.jobhost.store.Dialect;
import org.jobhost.store.HostRegistry;
import org.jobhost.store.JobQueue;
import org.jobhost.store.QueuedJob;
import org.jobhost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs from the {@code jobs} table, shared by every host on the same database.
 *
 * <p>{@link #poll} claims a batch of due jobs for this host (highest priority first); the outcome
 * is written back by job id, attempt and host, so a host that lost a claim changes nothing. A
 * failed attempt that the host's retry policy allows is queued again at the host's backoff ({@link
 * #retry}); a job's last failure moves it to {@code dead}, where {@code jobhost queue dead} shows
 * it and {@code jobhost queue retry} queues it again. A job cancelled because the host stopped goes
 * back to the queue as the same attempt. Delivery is at least once: a job whose host died runs
 * again elsewhere.
 *
 * <p>On SQLite an idle queue costs no claim: after a claim that found nothing, {@link #poll} claims
 * again only when another connection changed the database ({@link JobQueue#changeCount()}, a {@code
 * PRAGMA} that reads no table), when this source itself put a job back (a retry, a job given back,
 * jobs recovered from a dead host), when the earliest delayed job falls due, or after one heartbeat
 * interval at the latest. {@link #claimQueries()} counts the claims.
 *
 * <p>Thread-safe, as {@link JobSource} requires: each call is one transaction on the database.
 *
 * <p>Somewhat over 350 lines: the claim gating above and the prefetch share one lock and the
 * poll/next-due contract, and read best in one place.
 */
public final class QueueSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(QueueSource.class);

  /** The shortest wait {@link #nextDue} asks for, so a race on a due job cannot spin the loop. */
  private static final Duration MIN_WAIT = Duration.ofMillis(20);

  private final AtomicInteger running = new AtomicInteger();

  /** Claimed ahead ({@code prefetch}), not handed out yet; guarded by itself. */
  private final Deque<QueuedJob> prefetched = new ArrayDeque<>();

  /** Set when this source put a job back into the queue: the next poll claims. */
  private volatile boolean ownChange = true;

  /** After an empty claim (SQLite): the change count then, and when to claim again regardless. */
  private long emptyAtChangeCount;

  private Instant claimAgainAt = Instant.MIN;
  private Optional<Instant> idleNextDue = Optional.empty();
  private long claimQueries;

  private PluginContext context;
  private QueueSettings settings;
  private Clock clock;
  private Database db;
  private JobQueue queue;
  private HostRegistry hosts;
  private SuccessBatcher successes;
  private PendingWriteBacks pending;
  private Heartbeat heartbeat;
  private NotifyListener listener;

  /** Created by the host; nothing happens before {@link #init}. */
  public QueueSource() {}

  @Override
  public void init(PluginContext context) {
    this.context = context;
    this.clock = context.clock();
    this.settings = QueueSettings.parse(context.settings(), context);
    this.db = Database.open(settings.database(), "queue", clock);
    if (context.checkOnly()) {
      // checked, not run: no recovery, heartbeat or leave for the host name of a daemon that may
      // run beside this check with its jobs claimed
      return;
    }
    this.queue = new JobQueue(db);
    this.hosts = new HostRegistry(db);
    this.successes = new SuccessBatcher(queue, settings.hostName());
    this.pending = new PendingWriteBacks(settings.hostName());
    this.heartbeat =
        new Heartbeat(
            hosts,
            settings,
            running::get,
            this::hostState,
            pending::flush,
            this::changedHere,
            clock.instant());
    try {
      heartbeat.recoverOwn();
      heartbeat.start();
      if (settings.listen() && db.dialect() == Dialect.POSTGRESQL) {
        listener = new NotifyListener(db, this::wake);
        listener.start();
      }
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    log.info(
        "plugin=queue host={} database={} heartbeat every {} ms, dead after {} ms, listen={}",
        settings.hostName(),
        db.location(),
        settings.heartbeatInterval().toMillis(),
        settings.deadAfter().toMillis(),
        listener != null);
  }

  private String hostState() {
    try {
      return context.host().lifecycle().name().toLowerCase(Locale.ROOT);
    } catch (RuntimeException e) {
      return "running";
    }
  }

  private void wake() {
    try {
      context.host().wake();
    } catch (RuntimeException e) {
      log.debug("plugin=queue cannot wake the host: {}", e.toString());
    }
  }

  @Override
  public void settingsChanged(PluginSettings newSettings) {
    QueueSettings next = QueueSettings.parse(newSettings, context);
    if (!next.equals(settings)) {
      log.warn(
          "plugin=queue host={} settings changed; they apply after a restart of this host",
          settings.hostName());
    }
  }

  /** This source changed the queue itself (its writes do not move the change count). */
  private void changedHere() {
    ownChange = true;
    wake();
  }

  /** How many claims {@link #poll} ran (for tests and benchmarks). */
  public long claimQueries() {
    synchronized (prefetched) {
      return claimQueries;
    }
  }

  /**
   * Whether a claim may find something; on SQLite, false while nothing changed since the last claim
   * that found nothing. Called holding {@code prefetched}; returns the change count to remember if
   * the claim comes back empty.
   */
  private long mayHaveWork(Instant now) {
    if (db.dialect() != Dialect.SQLITE) {
      return 0;
    }
    long count = queue.changeCount();
    if (ownChange || count != emptyAtChangeCount || !now.isBefore(claimAgainAt)) {
      return count;
    }
    return -1;
  }

  private List<QueuedJob> claim(int n) {
    Instant now = clock.instant();
    long count = mayHaveWork(now);
    if (count < 0) {
      return List.of();
    }
    ownChange = false;
    // On SQLite another plugin's writes to the same file (the worklog) move the change count
    // too: look for a due job without a lock before the claim takes the write lock.
    boolean due = db.dialect() != Dialect.SQLITE || queue.anyDue();
    List<QueuedJob> got = List.of();
    if (due) {
      claimQueries++;
      got = queue.claim(settings.hostName(), n);
    }
    if (got.isEmpty() && db.dialect() == Dialect.SQLITE) {
      emptyAtChangeCount = count;
      idleNextDue = queue.nextDueIn().map(d -> now.plus(d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d));
      Instant fallback = now.plus(settings.heartbeatInterval());
      claimAgainAt = idleNextDue.filter(d -> d.isBefore(fallback)).orElse(fallback);
    } else {
      claimAgainAt = Instant.MIN;
    }
    return got;
  }

  @Override
  public List<Job> poll(int max) {
    List<QueuedJob> claimed = new ArrayList<>(max);
    synchronized (prefetched) {
      if (prefetched.size() < max) {
        prefetched.addAll(claim(max - prefetched.size() + settings.prefetch()));
      }
      while (claimed.size() < max && !prefetched.isEmpty()) {
        claimed.add(prefetched.poll());
      }
    }
    List<Job> out = new ArrayList<>(claimed.size());
    for (QueuedJob q : claimed) {
      try {
        out.add(
            new Job(
                String.valueOf(q.id()),
                q.type(),
                q.params(),
                q.timeout(),
                q.attempt(),
                q.maxAttempts()));
        running.incrementAndGet();
      } catch (IllegalArgumentException e) {
        log.error(
            "job={} host={} is invalid and moves to dead: {}; fix it and jobhost queue retry {}",
            q.id(),
            settings.hostName(),
            e.getMessage(),
            q.id());
        queue.finish(q.id(), q.attempt(), settings.hostName(), false, e.getMessage());
      }
    }
    return out;
  }

  @Override
  public Optional<Instant> nextDue() {
    synchronized (prefetched) {
      if (!prefetched.isEmpty()) {
        return Optional.of(clock.instant());
      }
      if (db.dialect() == Dialect.SQLITE
          && !ownChange
          && clock.instant().isBefore(claimAgainAt)
          && queue.changeCount() == emptyAtChangeCount) {
        return idleNextDue;
      }
    }
    return queue
        .nextDueIn()
        .map(d -> clock.instant().plus(d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d));
  }

  @Override
  public void completed(Job job, Outcome outcome) {
    running.decrementAndGet();
    long id = Long.parseLong(job.id());
    String host = settings.hostName();
    switch (outcome.kind()) {
      case SUCCEEDED:
        pending.writeBack(job, outcome, () -> succeeded(id, job.attempt()));
        break;
      case CANCELLED:
        if (pending.writeBack(
            job, outcome, () -> queue.release(id, job.attempt(), host, outcome.message()))) {
          ownChange = true;
          log.info("job={} host={} given back to the queue: {}", id, host, outcome.message());
        }
        break;
      default:
        if (pending.writeBack(
            job, outcome, () -> queue.finish(id, job.attempt(), host, false, outcome.message()))) {
          log.warn(
              "job={} type={} host={} failed its last attempt {} and moved to dead: {}; see"
                  + " jobhost queue dead, requeue with jobhost queue retry {}",
              id,
              job.type(),
              host,
              job.attempt(),
              outcome.message(),
              id);
        }
    }
  }

  @Override
  public boolean retry(Job job, Outcome outcome, Instant notBefore) {
    running.decrementAndGet();
    Duration delay = Duration.between(clock.instant(), notBefore);
    pending.writeBack(
        job,
        outcome,
        () ->
            queue.retry(
                Long.parseLong(job.id()),
                job.attempt(),
                settings.hostName(),
                delay,
                outcome.message()));
    ownChange = true;
    return true;
  }

  private boolean succeeded(long id, int attempt) {
    try {
      return successes.succeeded(id, attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return queue.finish(id, attempt, settings.hostName(), true, null);
    }
  }

  /** Gives jobs claimed ahead back to the queue, unchanged: they never started here. */
  private void releasePrefetched() {
    synchronized (prefetched) {
      for (QueuedJob q : prefetched) {
        try {
          queue.release(
              q.id(), q.attempt(), settings.hostName(), "claimed ahead by a host that stopped");
        } catch (StoreException e) {
          log.warn(
              "job={} host={} claimed ahead cannot be given back: {}; it runs after dead_after"
                  + " on another host",
              q.id(),
              settings.hostName(),
              e.getMessage());
        }
      }
      prefetched.clear();
    }
  }

  /**
   * The jobs queued in the database, due now or later (retries waiting for their backoff too), for
   * every host of the cluster: the queue is shared.
   */
  @Override
  public OptionalLong depth() {
    JobQueue q = queue;
    return q == null ? OptionalLong.empty() : OptionalLong.of(q.queued());
  }

  /** Stops the threads, marks this host stopped and closes the pool; bounded by a few seconds. */
  @Override
  public void close() throws InterruptedException {
    try {
      if (listener != null) {
        listener.close();
      }
      if (heartbeat != null) {
        heartbeat.close();
      }
      if (queue != null) {
        releasePrefetched();
        try {
          pending.flush();
        } catch (StoreException e) {
          log.error(
              "plugin=queue host={} {} outcomes could not be written ({}); their jobs run again"
                  + " after dead_after on another host, or at this host's next start",
              settings.hostName(),
              pending.size(),
              e.getMessage());
        }
        hosts.leave(settings.hostName());
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }
}
