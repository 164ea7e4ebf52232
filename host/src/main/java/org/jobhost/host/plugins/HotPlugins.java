package org.jobhost.host.plugins;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a rescan of {@code plugins_dir} to the running daemon ({@code jobhost plugins reload},
 * and HUP after the configuration): the {@link PluginPlan} says what changes; this class loads the
 * new files with the same checks as at start ({@link Plugins}, {@link PluginFileSafety} as root,
 * {@link DuplicateIds}), and for every plugin that leaves (removed or replaced) holds its job types
 * and stops polling its sources, lets its running jobs finish within {@code grace_timeout}, stops
 * the rest as a graceful stop would, closes its extensions and unloads it. Then it initialises and
 * adopts the new ones, binds everything again ({@link Bindings}) and tells the listeners.
 *
 * <p>A replacement whose file does not load cleanly is refused before anything stops: the old
 * version keeps running and the problem is on its report. Not thread-safe: one rescan at a time, on
 * the daemon's event thread (so no signal hook runs while hooks are rebound).
 *
 * <p>It runs past 350 lines because a rescan is one ordered transaction (check, hold, drain,
 * unload, adopt, rebind, report) whose every step must be undone or reported when a later one
 * fails.
 */
public final class HotPlugins {

  private static final Logger log = LoggerFactory.getLogger(HotPlugins.class);

  /** How often a drain looks whether the daemon began to stop. */
  private static final Duration DRAIN_STEP = Duration.ofMillis(200);

  /** What a plugin change needs of the running daemon. Implementations are thread-safe. */
  public interface Running {
    /** The handle given to listeners. */
    Host host();

    /** Whether the daemon is stopping (a drain gives up; the stop closes everything). */
    boolean stopping();

    /** The job types whose runner belongs to one of these plugins now. */
    Set<String> typesOf(Set<String> pluginIds);

    /** Polls only {@code sources} and starts no job of {@code types} from now on. */
    void hold(Set<String> types, List<Contribution<JobSource>> sources) throws InterruptedException;

    /** Waits until no running job matches; whether that happened within {@code max}. */
    boolean awaitNone(BiPredicate<Job, String> which, Duration max) throws InterruptedException;

    /** Stops the matching running jobs as a graceful stop does after its grace time. */
    int stopWhere(BiPredicate<Job, String> which);

    /** Tells a leaving plugin's sources about the jobs polled from them but not started. */
    int returnBacklogOf(String pluginId);

    /** Sets the listeners the daemon tells (job starts and ends, lifecycle). */
    void listeners(List<Contribution<HostListener>> listeners);

    /**
     * Binds the sources, runners, hooks and listeners of the whole set and ends the hold: held jobs
     * start on the new runners.
     */
    void bind(
        List<Contribution<JobSource>> sources,
        Bindings bindings,
        List<Contribution<HostListener>> listeners);

    /** Calls each listener on the event thread, behind a fault boundary. */
    void tell(List<Contribution<HostListener>> to, String what, Consumer<HostListener> call);

    /** Retires every worker JVM after its current job, so new ones load the new plugin set. */
    void recycleWorkers(String why);

    /**
     * Drops what a closed plugin published to the host (its views and metric suppliers), so no read
     * calls into its unloaded code. A plugin that comes back publishes again in its init.
     */
    default void forget(String pluginId) {}
  }

  /**
   * What a rescan did, one line per change, for the log, {@code jobhost plugins reload} and its
   * exit code. Immutable.
   *
   * @param changes {@code loaded <id> <version> from <file>}, {@code replaced ...}, {@code unloaded
   *     ...}, in order
   * @param failures each file that did not load, with the reason and the fix
   */
  public record Outcome(List<String> changes, List<String> failures) {
    /** Copies. */
    public Outcome {
      changes = List.copyOf(changes);
      failures = List.copyOf(failures);
    }

    /** Whether every file loaded. */
    public boolean ok() {
      return failures.isEmpty();
    }
  }

  /**
   * The settings of one rescan, from the running configuration.
   *
   * @param dir {@code plugins_dir}
   * @param enabled whether a plugin id is enabled
   * @param chosenFile the file the site chose for a duplicated id, or {@code null}
   * @param grace how long leaving plugins' running jobs may take to finish ({@code grace_timeout})
   * @param kill how long a stopped job's process groups get before KILL ({@code kill_timeout})
   */
  public record Settings(
      Path dir,
      Predicate<String> enabled,
      Function<String, String> chosenFile,
      Duration grace,
      Duration kill) {}

  private final Plugins live;
  private final Running daemon;
  private final Function<String, PluginContext> contexts;
  private final Set<String> builtInCommands;
  private final boolean asRoot;

  /**
   * @param live the daemon's plugins
   * @param daemon the running daemon
   * @param contexts the context each new extension gets at init
   * @param builtInCommands the host's own command names (see {@link Bindings})
   */
  public HotPlugins(
      Plugins live,
      Running daemon,
      Function<String, PluginContext> contexts,
      Set<String> builtInCommands) {
    this(live, daemon, contexts, builtInCommands, PluginFileSafety.runningAsRoot());
  }

  HotPlugins(
      Plugins live,
      Running daemon,
      Function<String, PluginContext> contexts,
      Set<String> builtInCommands,
      boolean asRoot) {
    this.live = live;
    this.daemon = daemon;
    this.contexts = contexts;
    this.builtInCommands = Set.copyOf(builtInCommands);
    this.asRoot = asRoot;
  }

  /** Rescans {@code plugins_dir} and applies the difference; see the class comment. */
  public Outcome rescan(Settings s) throws InterruptedException {
    Map<String, Plugins.Loaded> before = live.loaded();
    Plugins.Scan scan = live.scan(s.dir(), s.chosenFile(), asRoot);
    PluginPlan plan = PluginPlan.of(before, scan, s.enabled(), FileStamp::of);
    Tally t = new Tally(plan.unloaded());
    for (String id : before.keySet()) {
      live.rescanProblem(id, plan.kept().get(id));
    }
    plan.kept().forEach((id, why) -> t.failed(id, why));
    Map<String, Plugins> arriving = stageAdded(plan, s, t);
    Set<String> leaving = new LinkedHashSet<>(plan.removed());
    for (Map.Entry<String, Plugins> c : stageChanged(plan, before, s, t).entrySet()) {
      arriving.put(c.getKey(), c.getValue());
      leaving.add(c.getKey());
    }
    if (leaving.isEmpty() && arriving.isEmpty()) {
      live.replaceUnloaded(t.unloaded);
      return t.outcome();
    }
    Swapped swapped = swap(leaving, arriving, s);
    live.replaceUnloaded(t.unloaded);
    if (swapped == null) {
      arriving.values().forEach(Plugins::discard);
      t.failures.add("the daemon began to stop; the plugins were left as they were");
      return t.outcome();
    }
    daemon.recycleWorkers("the plugin set changed");
    announce(swapped, before, t);
    return t.outcome();
  }

  /** What a rescan found so far. Not thread-safe. */
  private static final class Tally {
    final List<String> changes = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final List<PluginReport> unloaded;

    Tally(List<PluginReport> unloaded) {
      this.unloaded = new ArrayList<>(unloaded);
      for (PluginReport r : unloaded) {
        if (r.failed() && !"duplicate".equals(r.state())) {
          failures.addAll(r.problems());
        }
      }
    }

    void failed(String id, String why) {
      log.error("plugin={} {}", id, why);
      failures.add(id + ": " + why);
    }

    Outcome outcome() {
      for (String line : changes) {
        log.info("plugins: {}", line);
      }
      return new Outcome(changes, failures);
    }
  }

  /** The plugins that left and came, and the listeners bound now. */
  private record Swapped(
      Map<String, PluginState> gone,
      Map<String, PluginState> came,
      List<Contribution<HostListener>> listeners) {}

  /** Loads each new file on its own; those that do not load are reported and discarded. */
  private Map<String, Plugins> stageAdded(PluginPlan plan, Settings s, Tally t) {
    Map<String, Plugins> out = new LinkedHashMap<>();
    for (Path file : plan.added()) {
      Plugins staged = Plugins.staged(s.dir(), List.of(file), s.enabled());
      PluginReport r = staged.reportOf(file);
      if (r == null || !"loaded".equals(r.state())) {
        if (r != null) {
          t.unloaded.add(r);
          t.failures.addAll(r.problems());
        }
        staged.discard();
      } else {
        out.put(r.id(), staged);
      }
    }
    return out;
  }

  /**
   * Loads each changed plugin's new file on its own; one that does not load cleanly is reported on
   * the running version, which stays.
   */
  private Map<String, Plugins> stageChanged(
      PluginPlan plan, Map<String, Plugins.Loaded> before, Settings s, Tally t) {
    Map<String, Plugins> out = new LinkedHashMap<>();
    for (Map.Entry<String, Path> c : plan.changed().entrySet()) {
      String id = c.getKey();
      Plugins staged = Plugins.staged(s.dir(), List.of(c.getValue()), s.enabled());
      PluginReport r = staged.reportOf(c.getValue());
      if (r != null && "loaded".equals(r.state()) && id.equals(r.id()) && !r.failed()) {
        out.put(id, staged);
        continue;
      }
      String why =
          Plugins.RESCAN_PREFIX
              + c.getValue()
              + " did not load: "
              + (r == null ? "no plugin in it" : String.join("; ", r.problems()))
              + "; version "
              + before.get(id).version()
              + " keeps running. Fix the file and reload again";
      live.rescanProblem(id, why);
      t.failed(id, why);
      staged.discard();
    }
    return out;
  }

  /**
   * Drains, closes and unloads the leaving plugins, initialises and adopts the arriving ones and
   * binds the whole set; {@code null} when the daemon began to stop during the drain. Whatever
   * fails half-way, no job type stays held.
   */
  private Swapped swap(Set<String> leaving, Map<String, Plugins> arriving, Settings s)
      throws InterruptedException {
    Map<String, PluginState> gone = new LinkedHashMap<>();
    Map<String, PluginState> came = new LinkedHashMap<>();
    boolean bound = false;
    try {
      if (!leaving.isEmpty()) {
        if (!drain(leaving, s)) {
          return null;
        }
        List<Plugins.Detached> detached = new ArrayList<>();
        for (String id : leaving) {
          gone.put(id, state(live.report(id)));
          daemon.returnBacklogOf(id);
          detached.add(live.detach(id));
        }
        daemon.listeners(live.of(HostListener.class));
        for (Plugins.Detached d : detached) {
          d.close();
        }
        leaving.forEach(daemon::forget);
      }
      for (Map.Entry<String, Plugins> a : arriving.entrySet()) {
        a.getValue().initAll(contexts);
        live.adopt(a.getValue(), a.getKey());
        came.put(a.getKey(), state(live.report(a.getKey())));
      }
      List<Contribution<HostListener>> listeners = live.of(HostListener.class);
      daemon.bind(live.of(JobSource.class), Bindings.bind(live, builtInCommands), listeners);
      bound = true;
      return new Swapped(gone, came, listeners);
    } finally {
      if (!leaving.isEmpty() && !bound && !daemon.stopping()) {
        daemon.bind(
            live.of(JobSource.class),
            Bindings.bind(live, builtInCommands),
            live.of(HostListener.class));
      }
    }
  }

  /** Logs each change and tells the listeners, the new plugins' own told {@code started}. */
  private void announce(Swapped w, Map<String, Plugins.Loaded> before, Tally t) {
    Host host = daemon.host();
    for (Map.Entry<String, PluginState> g : w.gone().entrySet()) {
      if (!w.came().containsKey(g.getKey())) {
        t.changes.add(line("unloaded", g.getValue(), before.get(g.getKey()).file()));
        daemon.tell(w.listeners(), "pluginUnloaded", l -> l.pluginUnloaded(host, g.getValue()));
      }
    }
    for (Map.Entry<String, PluginState> c : w.came().entrySet()) {
      PluginState state = c.getValue();
      PluginReport report = live.report(c.getKey());
      Path file = report == null ? null : report.file();
      PluginState old = w.gone().get(c.getKey());
      if (old != null) {
        t.changes.add(
            "replaced "
                + old.id()
                + " "
                + old.version()
                + " by "
                + state.version()
                + " from "
                + file);
        daemon.tell(w.listeners(), "pluginUnloaded", l -> l.pluginUnloaded(host, old));
      } else {
        t.changes.add(line("loaded", state, file));
      }
      daemon.tell(w.listeners(), "pluginLoaded", l -> l.pluginLoaded(host, state));
      List<Contribution<HostListener>> own =
          w.listeners().stream().filter(l -> l.pluginId().equals(c.getKey())).toList();
      daemon.tell(own, "started", l -> l.started(host));
      for (String p : state.problems()) {
        t.failures.add(c.getKey() + ": " + p);
      }
    }
  }

  /**
   * Holds the leaving plugins' job types and sources, waits up to the grace time for their running
   * jobs, then stops the rest; false when the daemon began to stop meanwhile.
   */
  private boolean drain(Set<String> leaving, Settings s) throws InterruptedException {
    Set<String> types = daemon.typesOf(leaving);
    List<Contribution<JobSource>> staying =
        live.of(JobSource.class).stream().filter(c -> !leaving.contains(c.pluginId())).toList();
    daemon.hold(types, staying);
    log.info(
        "plugins {}: waiting up to {} ms (grace_timeout) for their running jobs; new jobs of"
            + " types {} wait until the change is done",
        leaving,
        s.grace().toMillis(),
        types);
    BiPredicate<Job, String> theirs =
        (job, sourcePlugin) -> leaving.contains(sourcePlugin) || types.contains(job.type());
    if (!await(theirs, s.grace())) {
      if (daemon.stopping()) {
        return false;
      }
      int n = daemon.stopWhere(theirs);
      log.warn(
          "plugins {}: {} jobs still running after grace_timeout ({} ms); stopping them",
          leaving,
          n,
          s.grace().toMillis());
      if (!await(theirs, s.kill().plus(Duration.ofSeconds(2)))) {
        log.warn("plugins {}: jobs did not end after they were stopped; unloading anyway", leaving);
      }
    }
    return !daemon.stopping();
  }

  private boolean await(BiPredicate<Job, String> which, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!daemon.stopping()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (daemon.awaitNone(which, Duration.ofNanos(Math.min(left, DRAIN_STEP.toNanos())))) {
        return true;
      }
    }
    return false;
  }

  private static PluginState state(PluginReport r) {
    return r.toState();
  }

  private static String line(String what, PluginState p, Path file) {
    return what + " " + p.id() + " " + p.version() + (file == null ? "" : " from " + file);
  }
}
