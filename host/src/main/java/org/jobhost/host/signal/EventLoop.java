package org.jobhost.host.signal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jobhost.api.Host;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalEvent;
import org.jobhost.api.SignalHook;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event thread: runs each signal's built-in action and then its hooks, and other host events
 * (listener notifications), one at a time, in arrival order.
 *
 * <p>{@link #deliver} is safe to call from a signal handler: it counts the delivery and enqueues a
 * token only for the first of a burst, so a flood of one signal becomes one event ({@link
 * SignalEvent#coalesced()} says how many were merged) and the queue stays bounded by the number of
 * distinct signals plus tasks. Thread-safe.
 */
public final class EventLoop {

  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  /** A hook that runs longer than this is logged as slow. */
  public static final Duration SLOW_HOOK = Duration.ofSeconds(1);

  /**
   * How long the event thread waits for one call into a plugin (a hook, a listener, a settings
   * check) before it goes on without it; the call is logged with its plugin id, and skipped while
   * it has still not returned, so a hook that never returns cannot stall later signals and reloads.
   */
  public static final Duration HOOK_TIME_LIMIT = Duration.ofSeconds(10);

  private final Clock clock;
  private final Host host;
  private final UnboundSignals unbound;
  private final Duration callLimit;
  private final Set<String> stuck = ConcurrentHashMap.newKeySet();
  private final AtomicInteger callThreads = new AtomicInteger();
  // Plugin calls run here so the event thread can stop waiting; idle threads end after 60 s.
  private final ExecutorService pluginCalls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jobhost-plugin-call-" + callThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Map<Signal, AtomicInteger> pending = new EnumMap<>(Signal.class);
  private final Map<Signal, Instant> firstArrival = new EnumMap<>(Signal.class);
  private final Map<Signal, Consumer<SignalEvent>> builtIns = new EnumMap<>(Signal.class);
  private final Map<Signal, List<Contribution<SignalHook>>> hooks = new EnumMap<>(Signal.class);
  private final AtomicLong sequence = new AtomicLong();
  private volatile Thread thread;
  private volatile boolean closed;

  /**
   * @param clock for arrival times
   * @param host handed to hooks
   */
  public EventLoop(Clock clock, Host host) {
    this(clock, host, new UnboundSignals());
  }

  /**
   * @param clock for arrival times
   * @param host handed to hooks
   * @param unbound counts (and logs, rate-limited) signals with no built-in action and no hook
   */
  public EventLoop(Clock clock, Host host, UnboundSignals unbound) {
    this(clock, host, unbound, HOOK_TIME_LIMIT);
  }

  /**
   * @param clock for arrival times and for timing hooks
   * @param host handed to hooks
   * @param unbound counts (and logs, rate-limited) signals with no built-in action and no hook
   * @param callLimit how long one call into a plugin may hold up the event thread
   */
  public EventLoop(Clock clock, Host host, UnboundSignals unbound, Duration callLimit) {
    this.callLimit = callLimit;
    this.clock = clock;
    this.host = host;
    this.unbound = unbound;
    for (Signal s : Signal.values()) {
      pending.put(s, new AtomicInteger());
    }
  }

  /** Sets the built-in action of a signal. Call before {@link #start}. */
  public synchronized void builtIn(Signal signal, Consumer<SignalEvent> action) {
    builtIns.put(signal, action);
  }

  /** Binds a hook to a signal, after those already bound. */
  public synchronized void hook(Signal signal, Contribution<SignalHook> hook) {
    hooks.computeIfAbsent(signal, s -> new ArrayList<>()).add(hook);
  }

  /**
   * Replaces every hook binding with {@code bound} (after a plugin change); the built-in actions
   * stay.
   */
  public synchronized void rebind(Map<Signal, List<Contribution<SignalHook>>> bound) {
    hooks.clear();
    bound.forEach((s, list) -> hooks.put(s, new ArrayList<>(list)));
  }

  /** Counts one delivery of {@code signal}; never blocks. Called on the JVM's signal thread. */
  public void deliver(Signal signal) {
    Instant now = clock.instant();
    sequence.incrementAndGet();
    AtomicInteger count = pending.get(signal);
    synchronized (count) {
      if (count.getAndIncrement() == 0) {
        firstArrival.put(signal, now);
        queue.add(signal);
      }
    }
  }

  /** Queues a task to run on the event thread after what is queued already. */
  public void submit(String what, Runnable task) {
    queue.add(new Task(what, task));
  }

  /**
   * Runs {@code body} (a call into plugin {@code pluginId}, which must catch what the plugin
   * throws) on a helper thread and waits for it at most the call limit. Returns its result, or
   * {@code onTimeout} when it did not return in time (logged as a warning naming the plugin) or
   * when the same call has still not returned from an earlier time (logged at debug).
   */
  public <T> T callWithin(String pluginId, String what, Supplier<T> body, T onTimeout) {
    String key = pluginId + "|" + what;
    if (!stuck.add(key)) {
      log.debug("plugin={} {} skipped: its earlier call has not returned", pluginId, what);
      return onTimeout;
    }
    Future<T> result;
    try {
      result =
          pluginCalls.submit(
              () -> {
                try {
                  return body.get();
                } finally {
                  stuck.remove(key);
                }
              });
    } catch (RejectedExecutionException e) {
      stuck.remove(key);
      return onTimeout;
    }
    try {
      return result.get(callLimit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "plugin={} {} did not return within {} ms; the host goes on without it (later events"
              + " run; this call is skipped until the earlier one returns)",
          pluginId,
          what,
          callLimit.toMillis());
      return onTimeout;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return onTimeout;
    } catch (ExecutionException e) {
      log.error("plugin={} {} failed: {}", pluginId, what, e.getCause().toString(), e.getCause());
      return onTimeout;
    }
  }

  /** {@link #callWithin} for a call without a result. */
  public void runWithin(String pluginId, String what, Runnable body) {
    callWithin(
        pluginId,
        what,
        () -> {
          body.run();
          return Boolean.TRUE;
        },
        Boolean.FALSE);
  }

  /** Starts the event thread. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    Thread t = new Thread(this::loop, "jobhost-events");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Processes one queued event, waiting up to {@code wait} for one.
   *
   * @return whether an event was processed
   */
  public boolean runOnce(Duration wait) throws InterruptedException {
    Object next = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      return false;
    }
    if (next instanceof Signal) {
      handle((Signal) next);
    } else {
      Task task = (Task) next;
      try {
        task.body.run();
      } catch (RuntimeException | LinkageError e) {
        log.error("event {} failed: {}", task.what, e.toString(), e);
      }
    }
    return true;
  }

  /** Stops the event thread after the event it runs, waiting at most {@code wait}. */
  public void close(Duration wait) {
    closed = true;
    pluginCalls.shutdown();
    Thread t = thread;
    if (t != null) {
      queue.add(new Task("close", () -> {}));
      try {
        t.join(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("the event thread is still busy after {} ms; leaving it", wait.toMillis());
      }
    }
  }

  /** Runs queued events until {@link #close}; the event thread's body. */
  private void loop() {
    while (!closed) {
      try {
        runOnce(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (RuntimeException e) {
        log.error("event loop: unexpected {}", e.toString(), e);
      }
    }
  }

  private void handle(Signal signal) {
    AtomicInteger count = pending.get(signal);
    int n;
    Instant at;
    synchronized (count) {
      n = count.getAndSet(0);
      at = firstArrival.get(signal);
    }
    if (n == 0) {
      return;
    }
    SignalEvent event = new SignalEvent(signal, at, sequence.get(), n - 1);
    Consumer<SignalEvent> builtIn;
    List<Contribution<SignalHook>> bound;
    synchronized (this) {
      builtIn = builtIns.get(signal);
      bound = List.copyOf(hooks.getOrDefault(signal, List.of()));
    }
    if (n > 1 && (builtIn != null || !bound.isEmpty())) {
      log.info("signal={} received {} times; handled once", signal.fullName(), n);
    }
    if (builtIn != null) {
      try {
        builtIn.accept(event);
      } catch (RuntimeException e) {
        log.error("signal={} built-in action failed: {}", signal.fullName(), e.toString(), e);
      }
    } else if (bound.isEmpty()) {
      unbound.note(signal, n);
    }
    for (Contribution<SignalHook> hook : bound) {
      Instant start = clock.instant();
      String what = "SignalHook.onSignal(" + signal.fullName() + ") in " + hook.label();
      runWithin(
          hook.pluginId(),
          what,
          () ->
              FaultBoundary.run(
                  hook.pluginId(), what, () -> hook.extension().onSignal(event, host)));
      Duration took = Duration.between(start, clock.instant());
      if (took.compareTo(SLOW_HOOK) > 0) {
        log.warn(
            "plugin={} signal hook {} for {} took {} ms (slow: hooks should return within {} ms;"
                + " later events waited)",
            hook.pluginId(),
            hook.label(),
            signal.fullName(),
            took.toMillis(),
            SLOW_HOOK.toMillis());
      }
    }
  }

  /** A host task for the event thread. */
  private static final class Task {
    final String what;
    final Runnable body;

    Task(String what, Runnable body) {
      this.what = what;
      this.body = body;
    }
  }
}
