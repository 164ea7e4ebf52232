package org.jobhost.host.dispatch;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the sources for jobs, round robin, and keeps the backlog: jobs polled but not started (their
 * type is held during a plugin change, or no slot was left). Every call into a source goes through
 * {@link FaultBoundary}.
 *
 * <p>Thread-safe: {@link #poll} and {@link #nextDue} are called by the dispatcher thread only; the
 * other methods from any thread.
 */
final class SourcePoller {

  // Logs as the dispatcher: operators see one logger for the loop.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private volatile List<Contribution<JobSource>> sources;
  private volatile Set<String> heldTypes = Set.of();
  private final Deque<Polled> backlog = new ArrayDeque<>();
  private int nextSource;

  SourcePoller(List<Contribution<JobSource>> sources) {
    this.sources = List.copyOf(sources);
  }

  /** Polls these sources from now on. */
  void sources(List<Contribution<JobSource>> sources) {
    this.sources = List.copyOf(sources);
  }

  /** Holds jobs of these types back (they wait in the backlog); an empty set releases them. */
  void hold(Set<String> types) {
    this.heldTypes = Set.copyOf(types);
  }

  /**
   * Up to {@code free} jobs to start: first from the backlog, then from the sources. Jobs of held
   * types, and any beyond {@code free}, go to the backlog; while types are held and the backlog has
   * {@code maxWorkers} jobs, the sources are not asked.
   */
  List<Polled> poll(int free, int maxWorkers) {
    List<Polled> out = new ArrayList<>();
    Set<String> held = heldTypes;
    List<Contribution<JobSource>> sources = this.sources;
    synchronized (backlog) {
      for (Iterator<Polled> it = backlog.iterator(); it.hasNext() && out.size() < free; ) {
        Polled p = it.next();
        if (!held.contains(p.job().type())) {
          it.remove();
          out.add(p);
        }
      }
      if (!held.isEmpty() && backlog.size() >= maxWorkers) {
        // Jobs wait for a plugin being replaced: leave the rest in their sources.
        return out;
      }
    }
    int n = sources.size();
    for (int i = 0; i < n && out.size() < free; i++) {
      Contribution<JobSource> src = sources.get((nextSource + i) % n);
      int want = free - out.size();
      List<Job> jobs =
          FaultBoundary.call(
              src.pluginId(),
              "JobSource.poll in " + src.label(),
              () -> src.extension().poll(want),
              List.of());
      if (jobs == null) {
        continue;
      }
      for (Job j : jobs) {
        if (j == null) {
          log.warn("plugin={} source {} returned a null job; ignored", src.pluginId(), src.label());
        } else if (out.size() < free && !held.contains(j.type())) {
          out.add(new Polled(j, src));
        } else {
          synchronized (backlog) {
            backlog.add(new Polled(j, src));
          }
        }
      }
    }
    nextSource = n == 0 ? 0 : (nextSource + 1) % n;
    return out;
  }

  /** The earliest time a source says it will have a job, if any says. */
  Optional<Instant> nextDue() {
    Instant best = null;
    for (Contribution<JobSource> src : sources) {
      Optional<Instant> due =
          FaultBoundary.call(
              src.pluginId(),
              "JobSource.nextDue in " + src.label(),
              () -> src.extension().nextDue(),
              Optional.empty());
      if (due != null && due.isPresent() && (best == null || due.get().isBefore(best))) {
        best = due.get();
      }
    }
    return Optional.ofNullable(best);
  }

  /** Puts a polled job that found no slot back at the head of the backlog. */
  void putBack(Polled p) {
    synchronized (backlog) {
      backlog.addFirst(p);
    }
  }

  /** Takes the backlog's jobs that came from this plugin's sources out of it. */
  List<Polled> takeBacklogOf(String pluginId) {
    List<Polled> mine = new ArrayList<>();
    synchronized (backlog) {
      backlog.removeIf(p -> p.source().pluginId().equals(pluginId) && mine.add(p));
    }
    return mine;
  }

  /** Empties the backlog and returns what was in it. */
  List<Polled> takeBacklog() {
    synchronized (backlog) {
      List<Polled> left = new ArrayList<>(backlog);
      backlog.clear();
      return left;
    }
  }
}
