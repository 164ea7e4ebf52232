package org.jobhost.host.control;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.host.dispatch.JobObserver;

/**
 * What {@code jobhost top} shows beyond the status counters: jobs started and ended per type, and
 * the last failures. Bounded whatever the sources send: at most {@link #MAX_TYPES} types are
 * counted by name (the rest together under {@link #OTHER}), the last {@link #MAX_FAILURES} failures
 * are kept, each message cut to {@link #MAX_MESSAGE} characters. Thread-safe.
 */
public final class JobActivity implements JobObserver {

  /** How many job types are counted by name. */
  static final int MAX_TYPES = 64;

  /** How many failures are kept, newest first. */
  static final int MAX_FAILURES = 10;

  /** The longest failure message kept. */
  static final int MAX_MESSAGE = 200;

  /** The name under which the types beyond {@link #MAX_TYPES} are counted. */
  static final String OTHER = "(other)";

  /** One ended attempt that did not succeed. Immutable. */
  record Failure(String jobId, String type, Outcome.Kind outcome, Instant ended, String message) {}

  /** The counters of one type. Thread-safe. */
  private static final class Counters {
    final LongAdder started = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder cancelled = new LongAdder();
  }

  private final Clock clock;
  private final Map<String, Counters> types = new ConcurrentHashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();

  /**
   * @param clock when failures happened
   */
  public JobActivity(Clock clock) {
    this.clock = clock;
  }

  private Counters of(String type) {
    Counters c = types.get(type);
    if (c != null) {
      return c;
    }
    synchronized (types) {
      String key = types.size() < MAX_TYPES || types.containsKey(type) ? type : OTHER;
      return types.computeIfAbsent(key, k -> new Counters());
    }
  }

  @Override
  public void jobStarted(Job job) {
    of(job.type()).started.increment();
  }

  @Override
  public void jobEnded(Job job, Outcome outcome) {
    Counters c = of(job.type());
    switch (outcome.kind()) {
      case SUCCEEDED:
        c.succeeded.increment();
        return;
      case FAILED:
        c.failed.increment();
        break;
      case TIMED_OUT:
        c.timedOut.increment();
        break;
      default:
        c.cancelled.increment();
        break;
    }
    String m = outcome.message() == null ? "" : outcome.message();
    Failure f =
        new Failure(
            cut(job.id(), MAX_MESSAGE),
            cut(job.type(), MAX_MESSAGE),
            outcome.kind(),
            clock.instant(),
            cut(m, MAX_MESSAGE));
    synchronized (failures) {
      failures.addFirst(f);
      while (failures.size() > MAX_FAILURES) {
        failures.removeLast();
      }
    }
  }

  /** The last failures, newest first. */
  List<Failure> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /**
   * The fields of a {@code top} answer for the counters per type ({@code type.N.name}, {@code
   * .started}, {@code .succeeded}, {@code .failed}, {@code .timed_out}, {@code .cancelled}, sorted
   * by name) and the last failures ({@code failure.N.id}, {@code .type}, {@code .outcome}, {@code
   * .ended}, {@code .message}, newest first), numbered from 1.
   */
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(types.keySet());
    names.sort(null);
    f.put("types", Integer.toString(names.size()));
    int i = 0;
    for (String name : names) {
      Counters c = types.get(name);
      String p = "type." + ++i + ".";
      f.put(p + "name", name);
      f.put(p + "started", Long.toString(c.started.sum()));
      f.put(p + "succeeded", Long.toString(c.succeeded.sum()));
      f.put(p + "failed", Long.toString(c.failed.sum()));
      f.put(p + "timed_out", Long.toString(c.timedOut.sum()));
      f.put(p + "cancelled", Long.toString(c.cancelled.sum()));
    }
    List<Failure> last = failures();
    f.put("failures", Integer.toString(last.size()));
    i = 0;
    for (Failure x : last) {
      String p = "failure." + ++i + ".";
      f.put(p + "id", x.jobId());
      f.put(p + "type", x.type());
      f.put(p + "outcome", x.outcome().name().toLowerCase(java.util.Locale.ROOT));
      f.put(p + "ended", x.ended().toString());
      f.put(p + "message", x.message());
    }
    return f;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
