package org.jobhost.queue;

import java.util.ArrayList;
import java.util.List;
import org.jobhost.store.JobQueue;

/**
 * Writes successes in groups: a worker thread that finds no write in progress writes every success
 * queued so far in one transaction; threads whose success arrives meanwhile wait for the next
 * group. Each caller returns only once its own success is committed, as {@code JobSource.completed}
 * promises, yet many short jobs share one commit. No thread of its own.
 *
 * <p>Thread-safe.
 */
final class SuccessBatcher {

  /** At most this many successes per transaction. */
  static final int MAX_BATCH = 256;

  private final JobQueue queue;
  private final String host;
  private final List<Entry> waiting = new ArrayList<>();
  private boolean writing;

  private static final class Entry {
    final JobQueue.Success success;
    boolean done;
    boolean mine;
    RuntimeException failure;

    Entry(JobQueue.Success success) {
      this.success = success;
    }
  }

  SuccessBatcher(JobQueue queue, String host) {
    this.queue = queue;
    this.host = host;
  }

  /**
   * Records one success; returns when it is committed.
   *
   * @return whether the attempt was still this host's
   * @throws org.jobhost.store.StoreException when the group's transaction failed
   */
  boolean succeeded(long id, int attempt) throws InterruptedException {
    Entry me = new Entry(new JobQueue.Success(id, attempt));
    List<Entry> group;
    synchronized (this) {
      waiting.add(me);
      while (!me.done && writing) {
        wait();
      }
      if (me.done) {
        return result(me);
      }
      writing = true;
      int n = Math.min(waiting.size(), MAX_BATCH);
      group = new ArrayList<>(waiting.subList(0, n));
      waiting.subList(0, n).clear();
      if (!group.contains(me)) {
        group.add(0, me);
        waiting.remove(me);
      }
    }
    boolean[] mine = null;
    RuntimeException failure = null;
    try {
      List<JobQueue.Success> batch = new ArrayList<>(group.size());
      for (Entry e : group) {
        batch.add(e.success);
      }
      mine = queue.succeeded(host, batch);
    } catch (RuntimeException e) {
      failure = e;
    }
    synchronized (this) {
      for (int i = 0; i < group.size(); i++) {
        Entry e = group.get(i);
        e.done = true;
        e.mine = mine != null && mine[i];
        e.failure = failure;
      }
      writing = false;
      notifyAll();
      return result(me);
    }
  }

  private static boolean result(Entry e) {
    if (e.failure != null) {
      throw e.failure;
    }
    return e.mine;
  }
}
