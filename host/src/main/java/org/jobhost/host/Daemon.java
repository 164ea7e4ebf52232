package org.jobhost.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.Managed;
import org.jobhost.api.MetricSample;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.PluginState;
import org.jobhost.api.ReloadCounts;
import org.jobhost.api.RunningJob;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.api.Stats;
import org.jobhost.host.cli.Cli;
import org.jobhost.host.cli.progress.Progress;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.config.Defaults;
import org.jobhost.host.config.JavaRuntime;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.dispatch.JobObserver;
import org.jobhost.host.dispatch.Waiter;
import org.jobhost.host.plugins.Bindings;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.plugins.PublishedMetrics;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.jobhost.host.service.DaemonControl;
import org.jobhost.host.service.JobActivity;
import org.jobhost.host.service.LifecycleState;
import org.jobhost.host.service.LogSetup;
import org.jobhost.host.service.ServiceException;
import org.jobhost.host.service.ServiceHooks;
import org.jobhost.host.signal.EventLoop;
import org.jobhost.host.signal.SignalBridge;
import org.jobhost.host.signal.SignalCounts;
import org.jobhost.host.signal.UnboundSignals;
import org.jobhost.host.worker.WorkerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: wires configuration, plugins, dispatcher and signals, runs until stopped, and stops
 * in order. The one composition root. Thread-safe: its control methods (the {@link Host} it hands
 * out) may be called from any thread.
 */
public final class Daemon {

  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** Signals with a built-in action; their handlers go in first thing. */
  public static final Set<Signal> BUILT_IN =
      EnumSet.of(
          Signal.HUP,
          Signal.INT,
          Signal.TERM,
          Signal.TSTP,
          Signal.CONT,
          Signal.USR1,
          Signal.USR2,
          Signal.TTIN,
          Signal.TTOU);

  /** The built-in action of each signal, as {@code jobhost signals} and the README show it. */
  public static final Map<Signal, String> ACTIONS = actions();

  private final ConfigLoader loader;
  private final Path explicitConfig;
  private final List<String> overrides;
  private final boolean exitWhenIdle;
  private final ServiceHooks service;
  private final Clock clock = Clock.systemUTC();
  private final LifecycleState lifecycle = new LifecycleState();
  private final StopControl stop = new StopControl();
  private final AtomicReference<Config> config = new AtomicReference<>();
  private final HostControl host = new HostControl();
  private final UnboundSignals unbound = new UnboundSignals();
  private final EventLoop events;
  private final SignalBridge bridge;
  private final Instant startedAt;
  private Plugins plugins;
  private ProcessGroups groups;
  private Dispatcher dispatcher;
  private WorkerPool workerPool;
  private volatile List<Contribution<HostListener>> listeners = List.of();
  private HotPlugins hot;
  private volatile Path pluginsDir;
  private volatile String lastReload = "none";
  private volatile String lastReloadOutcome = "none";
  private final java.util.concurrent.atomic.AtomicLong reloadsApplied =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong reloadsRejected =
      new java.util.concurrent.atomic.AtomicLong();
  private final SignalCounts received = new SignalCounts();
  private final PublishedMetrics published = new PublishedMetrics();
  private final org.jobhost.host.plugins.PublishedViews views =
      new org.jobhost.host.plugins.PublishedViews();
  private final JobActivity activity = new JobActivity(clock);

  /**
   * Creates the daemon and installs the built-in signal handlers at once, before anything else can
   * be slow: on JDK 17 an unhandled USR2 crashes the JVM, TSTP stops it and USR1 kills it.
   */
  public Daemon(
      ConfigLoader loader,
      Path explicitConfig,
      List<String> overrides,
      boolean exitWhenIdle,
      ServiceHooks service) {
    this.startedAt = Instant.now();
    this.service = service;
    this.loader = loader;
    this.explicitConfig = explicitConfig;
    this.overrides = List.copyOf(overrides);
    this.exitWhenIdle = exitWhenIdle;
    this.events = new EventLoop(clock, host, unbound);
    this.bridge = SignalBridge.forProcess(unbound);
    bridge.attach(this::onSignal);
    for (Signal s : BUILT_IN) {
      bridge.install(s);
    }
    for (Signal s : SignalBridge.TAKEN_AT_START) {
      bridge.install(s);
    }
    events.builtIn(Signal.HUP, e -> reload());
    events.builtIn(Signal.INT, e -> log.info("signal=SIGINT: graceful stop"));
    events.builtIn(Signal.TERM, e -> log.info("signal=SIGTERM: graceful stop"));
    events.builtIn(Signal.TSTP, e -> host.pause());
    events.builtIn(Signal.CONT, e -> host.resume());
    events.builtIn(Signal.USR1, e -> LogSetup.reopen());
    events.builtIn(
        Signal.TTIN,
        e -> {
          int now = dispatcher == null ? 1 : dispatcher.maxWorkers();
          if (now >= Defaults.MAX_WORKERS_LIMIT) {
            log.warn(
                "signal=SIGTTIN: max_workers is already {}, the limit; unchanged",
                Defaults.MAX_WORKERS_LIMIT);
          } else {
            host.resize(now + 1);
          }
        });
    events.builtIn(
        Signal.TTOU,
        e -> host.resize(dispatcher == null ? 1 : Math.max(1, dispatcher.maxWorkers() - 1)));
  }

  /** The handle plugins and hooks get. */
  public Host host() {
    return host;
  }

  /** Runs until stopped; returns the process exit code. */
  public int run() {
    log.info(
        "jobhost {} starting (pid {}, Java {})",
        Version.get(),
        ProcessHandle.current().pid(),
        Runtime.version());
    Config cfg;
    try {
      cfg = loader.load(explicitConfig, overrides);
    } catch (ConfigException e) {
      log.error("{}", e.getMessage());
      System.err.println("jobhost: " + e.getMessage());
      return ExitCodes.CONFIG;
    }
    config.set(cfg);
    try {
      service.prepare(cfg);
    } catch (ServiceException e) {
      System.err.println("jobhost: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    try {
      LogSetup.apply(
          cfg.home().resolve("conf").resolve("logback.xml"),
          cfg.logDir(),
          cfg.service().logFormat(),
          System.getenv("JOURNAL_STREAM"));
      Files.createDirectories(cfg.stateDir());
    } catch (IOException e) {
      log.error("cannot prepare directories: {}", e.getMessage());
      System.err.println("jobhost: " + e.getMessage() + "; check that the directory is writable");
      return ExitCodes.FAILURE;
    }
    String unwritable = StateDirectory.problem(cfg.stateDir());
    if (unwritable != null) {
      log.error("{}", unwritable);
      System.err.println("jobhost: " + unwritable);
      return ExitCodes.FAILURE;
    }
    log.info(
        "jobhost {} starting (pid {}); effective configuration:",
        Version.get(),
        ProcessHandle.current().pid());
    for (String line : cfg.describe()) {
      log.info("  {}", line);
    }
    bridge.releaseWarnings();
    try {
      service.starting(cfg, new Control());
    } catch (ServiceException e) {
      log.error("{}", e.getMessage());
      System.err.println("jobhost: " + e.getMessage());
      service.stopped();
      return ExitCodes.FAILURE;
    }
    groups =
        new ProcessGroups(Posix.load(), new ProcTable(), cfg.stateDir().resolve("process-groups"));
    int leftovers;
    try {
      leftovers = groups.cleanUpAfterCrash(cfg.killTimeout());
    } catch (java.io.UncheckedIOException e) {
      String why =
          e.getMessage()
              + "; jobhost records its children there and cannot run without it: make "
              + cfg.stateDir()
              + " writable by the user jobhost runs as, or set state_dir";
      log.error("{}", why);
      System.err.println("jobhost: " + why);
      service.stopped();
      return ExitCodes.FAILURE;
    }
    if (leftovers > 0) {
      log.warn("terminated {} process groups left by a previous run", leftovers);
    }
    pluginsDir = cfg.pluginsDir();
    plugins = Plugins.load(cfg.pluginsDir(), cfg::pluginEnabled, cfg::pluginFile);
    plugins.initAll(this::contextFor);
    Bindings bindings = Bindings.bind(plugins, Cli.BUILT_IN_COMMANDS);
    Map<String, Contribution<JobRunner>> runners = bindings.runners();
    installHooks(bindings.hooks());
    for (Signal s : cfg.forwardSignals()) {
      bridge.install(s);
    }
    int failed = reportPlugins();
    if (cfg.strict() && failed > 0) {
      log.error("strict = true and {} plugins have problems; not starting", failed);
      System.err.println(
          "jobhost: strict = true and " + failed + " plugins have problems (see jobhost plugins)");
      plugins.closeAll();
      service.stopped();
      return ExitCodes.FAILURE;
    }
    listeners = plugins.of(HostListener.class);
    dispatcher =
        new Dispatcher(
            config::get,
            plugins.of(JobSource.class),
            runners,
            workerPool =
                new WorkerPool(
                    config::get,
                    groups,
                    JavaRuntime.current(),
                    cfg.file(),
                    overrides,
                    () -> ThreadLocalRandom.current().nextDouble()),
            groups,
            new ListenerObserver(),
            clock,
            new Waiter(),
            workerPool(),
            () -> ThreadLocalRandom.current().nextDouble());
    hot =
        new HotPlugins(
            plugins,
            new LivePlugins(
                host,
                stop::requested,
                dispatcher,
                events,
                workerPool,
                this::installHooks,
                l -> listeners = l,
                id -> {
                  views.forget(id);
                  published.forget(id);
                }),
            this::contextFor,
            Cli.BUILT_IN_COMMANDS);
    events.start();
    Thread loop =
        new Thread(
            () -> {
              try {
                dispatcher.run(exitWhenIdle, service::loopTick);
              } finally {
                stop.loopEnded();
              }
            },
            "jobhost-dispatcher");
    if (!lifecycle.moveTo(Lifecycle.RUNNING)) {
      log.info("a stop was requested during start-up");
    } else {
      notifyListeners("started", l -> l.started(host));
      log.info(
          "jobhost {} ready: {} sources, runners for types {}, {} workers, dispatch {}",
          Version.get(),
          plugins.of(JobSource.class).size(),
          dispatcher.types(),
          dispatcher.maxWorkers(),
          cfg.dispatch().name().toLowerCase(java.util.Locale.ROOT));
      loop.start();
      service.ready();
    }
    // The known total needs every source to tell its depth; else done and rate only.
    Progress progress =
        exitWhenIdle
            ? Progress.startOnTerminal(
                host::stats,
                () -> {
                  Plugins p = plugins;
                  return HostSamples.waiting(p == null ? List.of() : p.of(JobSource.class));
                })
            : null;
    try {
      while (!stop.await(Duration.ofSeconds(60))) {
        // wait for a stop request or the end of the dispatch loop (--exit-when-idle)
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (progress != null) {
      progress.close();
    }
    return stopInOrder(loop);
  }

  private int stopInOrder(Thread loop) {
    lifecycle.moveTo(Lifecycle.STOPPING);
    service.stopping();
    notifyListeners("stopping", l -> l.stopping(host));
    Config cfg = config.get();
    dispatcher.beginStop();
    try {
      if (dispatcher.running() > 0) {
        log.info(
            "waiting up to {} ms (grace_timeout) for {} running jobs",
            cfg.graceTimeout().toMillis(),
            dispatcher.running());
      }
      long graceEnd = System.nanoTime() + cfg.graceTimeout().toNanos();
      while (dispatcher.running() > 0 && System.nanoTime() < graceEnd && !stop.urgent()) {
        dispatcher.awaitDrained(Duration.ofMillis(50));
      }
      if (dispatcher.running() > 0) {
        log.warn(
            "{} jobs still running {}; interrupting them and sending TERM to their process groups",
            dispatcher.running(),
            stop.urgent() ? "at a second stop request" : "after grace_timeout");
        dispatcher.forceStop();
        if (!dispatcher.awaitDrained(cfg.killTimeout().plus(Duration.ofSeconds(2)))) {
          dispatcher.abandonAll("the host stopped and the job did not end in time");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      dispatcher.abandonAll("the host stopped");
    }
    dispatcher.terminate();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workerPool.close();
    plugins.closeAll();
    lifecycle.moveTo(Lifecycle.STOPPED);
    notifyListeners("stopped", l -> l.stopped(host));
    events.close(Duration.ofSeconds(2));
    log.info("jobhost stopped: {}", host.stats().summary());
    service.stopped();
    return ExitCodes.OK;
  }

  /** The bridge's sink, on the JVM's signal thread: never blocks. */
  private void onSignal(Signal signal) {
    received.count(signal);
    if (signal == Signal.TERM || signal == Signal.INT) {
      if (stop.request() > 1) {
        log.warn("signal={} again: stopping at once", signal.fullName());
      }
    }
    events.deliver(signal);
    Config cfg = config.get();
    if (cfg != null && groups != null && cfg.forwardSignals().contains(signal)) {
      events.submit(
          "forward " + signal,
          () ->
              log.info(
                  "signal={} forwarded to {} process groups",
                  signal.fullName(),
                  groups.signalAll(signal)));
    }
  }

  private void reload() {
    service.reloading();
    Config old = config.get();
    Config fresh;
    try {
      fresh = loader.load(explicitConfig, overrides);
    } catch (ConfigException e) {
      lastReload = "rejected at " + Instant.now() + ": " + e.getMessage();
      lastReloadOutcome = "rejected: " + e.getMessage();
      reloadsRejected.incrementAndGet();
      log.error("reload rejected; keeping the running configuration. {}", e.getMessage());
      service.reloaded(false, e.getMessage());
      return;
    }
    List<String> refusals = refusals(old, fresh);
    if (!refusals.isEmpty()) {
      String why = String.join("; ", refusals);
      lastReload = "rejected at " + Instant.now() + ": " + why;
      lastReloadOutcome = "rejected: " + why;
      reloadsRejected.incrementAndGet();
      log.error("reload rejected; keeping the running configuration. {}", why);
      service.reloaded(false, why);
      return;
    }
    config.set(fresh);
    lastReload = "applied at " + Instant.now();
    lastReloadOutcome = "applied";
    reloadsApplied.incrementAndGet();
    try {
      applyReload(old, fresh);
    } finally {
      service.reloaded(true, "applied");
    }
    rescanPlugins();
  }

  /**
   * Rescans plugins_dir (the one of the start: a new one takes effect at the next restart) and
   * applies the difference; on the event thread.
   */
  private HotPlugins.Outcome rescanPlugins() {
    HotPlugins h = hot;
    if (h == null) {
      return new HotPlugins.Outcome(List.of(), List.of("the daemon is still starting"));
    }
    Config c = config.get();
    try {
      return h.rescan(
          new HotPlugins.Settings(
              pluginsDir, c::pluginEnabled, c::pluginFile, c.graceTimeout(), c.killTimeout()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HotPlugins.Outcome(List.of(), List.of("interrupted"));
    } catch (RuntimeException e) {
      log.error("plugins: the rescan of {} failed: {}", pluginsDir, e.toString(), e);
      return new HotPlugins.Outcome(List.of(), List.of("the rescan failed: " + e));
    }
  }

  private void applyReload(Config old, Config fresh) {
    log.info("reload applied; effective configuration:");
    for (String line : fresh.describe()) {
      log.info("  {}", line);
    }
    if (fresh.maxWorkers() != old.maxWorkers() && dispatcher != null) {
      dispatcher.resize(fresh.maxWorkers());
    }
    for (String key : List.of("plugins_dir", "log_dir", "state_dir", "run_dir")) {
      if (!Objects.equals(pathOf(old, key), pathOf(fresh, key))) {
        log.warn("{} changed; it takes effect at the next restart", key);
      }
    }
    if (fresh.service().logFormat() != old.service().logFormat()) {
      log.warn("log_format changed; it takes effect at the next restart");
    }
    for (Signal s : fresh.forwardSignals()) {
      bridge.install(s);
    }
    if (plugins != null) {
      for (Map.Entry<String, List<Contribution<?>>> e : extensionsByPlugin().entrySet()) {
        PluginSettings before = old.pluginSettings(e.getKey());
        PluginSettings after = fresh.pluginSettings(e.getKey());
        if (!before.asMap().equals(after.asMap())) {
          for (Contribution<?> c : e.getValue()) {
            String what = "settingsChanged in " + c.label();
            events.runWithin(
                c.pluginId(),
                what,
                () ->
                    FaultBoundary.run(
                        c.pluginId(),
                        what,
                        () -> ((Managed) c.extension()).settingsChanged(after)));
          }
        }
      }
    }
    for (Contribution<HostListener> l : listeners) {
      events.runWithin(
          l.pluginId(),
          "HostListener.reloaded",
          () ->
              FaultBoundary.run(
                  l.pluginId(), "HostListener.reloaded", () -> l.extension().reloaded(host)));
    }
  }

  /**
   * Asks every extension whose section changed whether it accepts the new one; returns each refusal
   * as {@code "<plugin id>: <reason>"}, empty when all accept. Nothing is applied here.
   */
  private List<String> refusals(Config old, Config fresh) {
    List<String> out = new ArrayList<>();
    if (plugins == null) {
      return out;
    }
    for (Map.Entry<String, List<Contribution<?>>> e : extensionsByPlugin().entrySet()) {
      PluginSettings after = fresh.pluginSettings(e.getKey());
      if (old.pluginSettings(e.getKey()).asMap().equals(after.asMap())) {
        continue;
      }
      for (Contribution<?> c : e.getValue()) {
        String refusal =
            events.callWithin(
                c.pluginId(),
                "validateSettings in " + c.label(),
                () -> {
                  try {
                    ((Managed) c.extension()).validateSettings(after);
                    return null;
                  } catch (Exception | LinkageError ex) {
                    String m = ex.getMessage();
                    return m == null || m.isBlank() ? ex.toString() : m;
                  }
                },
                "it did not answer within "
                    + EventLoop.HOOK_TIME_LIMIT.toSeconds()
                    + " s (validateSettings must be fast)");
        if (refusal != null) {
          log.error("plugin={} rejects its new settings: {}", c.pluginId(), refusal);
          out.add(c.pluginId() + ": " + refusal);
          break;
        }
      }
    }
    return out;
  }

  private static Path pathOf(Config c, String key) {
    switch (key) {
      case "plugins_dir":
        return c.pluginsDir();
      case "log_dir":
        return c.logDir();
      case "state_dir":
        return c.stateDir();
      default:
        return c.runDir();
    }
  }

  private Map<String, List<Contribution<?>>> extensionsByPlugin() {
    Map<String, List<Contribution<?>>> out = new LinkedHashMap<>();
    java.util.Set<Object> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Class<? extends Managed> point : Plugins.POINTS) {
      for (Contribution<? extends Managed> c : plugins.of(point)) {
        if (seen.add(c.extension())) {
          out.computeIfAbsent(c.pluginId(), k -> new ArrayList<>()).add(c);
        }
      }
    }
    return out;
  }

  /** Installs a handler for every signal a hook is bound to ({@link Bindings} refused the rest). */
  private void installHooks(Map<Signal, List<Contribution<SignalHook>>> hooks) {
    for (Map.Entry<Signal, List<Contribution<SignalHook>>> e : hooks.entrySet()) {
      Signal s = e.getKey();
      for (Contribution<SignalHook> h : e.getValue()) {
        if (s == Signal.CHLD) {
          primeChildSignal();
        }
        SignalBridge.Installed result = bridge.install(s);
        if (result == SignalBridge.Installed.REFUSED) {
          plugins.problem(
              h.pluginId(), h.label() + ": the JVM refused a handler for " + s.fullName());
          continue;
        }
        events.hook(s, h);
      }
    }
  }

  /**
   * A CHLD handler installed before the JVM's first child process is silently replaced when that
   * child starts; starting one child first keeps the hook's handler in place.
   */
  private static void primeChildSignal() {
    try {
      Process p = new ProcessBuilder("true").redirectErrorStream(true).start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.warn(
          "could not start a first child process before installing the CHLD handler: {}",
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int reportPlugins() {
    int failed = 0;
    for (PluginReport r : plugins.reports()) {
      log.info(
          "plugin={} version={} state={} file={} extensions={}",
          r.id(),
          r.version(),
          r.state(),
          r.file() == null ? "(class path)" : r.file().getFileName(),
          r.extensions());
      for (String p : r.problems()) {
        log.error("plugin={} {}", r.id(), p);
      }
      if (r.failed()) {
        failed++;
      }
    }
    return failed;
  }

  private PluginContext contextFor(String pluginId) {
    return new Context(pluginId);
  }

  private void notifyListeners(String what, java.util.function.Consumer<HostListener> call) {
    for (Contribution<HostListener> l : listeners) {
      events.submit(
          what,
          () ->
              events.runWithin(
                  l.pluginId(),
                  "HostListener." + what,
                  () ->
                      FaultBoundary.run(
                          l.pluginId(), "HostListener." + what, () -> call.accept(l.extension()))));
    }
  }

  private static ThreadPoolExecutor workerPool() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory f =
        r -> {
          Thread t = new Thread(r, "jobhost-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), f);
  }

  private static Map<Signal, String> actions() {
    Map<Signal, String> m = new LinkedHashMap<>();
    m.put(Signal.HUP, "reload the configuration (a bad file keeps the old one)");
    m.put(Signal.INT, "graceful stop; a second one stops at once");
    m.put(Signal.TERM, "graceful stop; a second one stops at once");
    m.put(Signal.TSTP, "pause: start no new job");
    m.put(Signal.CONT, "resume after a pause (ignored while stopping)");
    m.put(Signal.USR1, "reopen log files");
    m.put(Signal.TTIN, "one more worker slot");
    m.put(Signal.TTOU, "one worker slot fewer (never below 1)");
    for (Signal s : SignalBridge.TAKEN_AT_START) {
      m.putIfAbsent(
          s,
          s == Signal.USR2
              ? "none: free for plugins; logged and counted"
              : "none: logged and counted; never ends jobhost");
    }
    m.put(Signal.BUS, "left to the JVM (mapped-file faults); ends it");
    m.put(Signal.PIPE, "none (the JVM ignores it)");
    m.put(Signal.CHLD, "none (ignored)");
    m.put(Signal.URG, "none (ignored)");
    m.put(Signal.WINCH, "none (ignored)");
    return Map.copyOf(m);
  }

  /** Tells the host's listeners of job starts and ends, each call behind a fault boundary. */
  private final class ListenerObserver implements JobObserver {
    @Override
    public void jobStarted(Job job) {
      activity.jobStarted(job);
      for (Contribution<HostListener> l : listeners) {
        FaultBoundary.run(
            l.pluginId(),
            "HostListener.jobStarted for job " + job.id(),
            () -> l.extension().jobStarted(job));
      }
    }

    @Override
    public void jobEnded(Job job, Outcome outcome) {
      activity.jobEnded(job, outcome);
      for (Contribution<HostListener> l : listeners) {
        FaultBoundary.run(
            l.pluginId(),
            "HostListener.jobEnded for job " + job.id(),
            () -> l.extension().jobEnded(job, outcome));
      }
    }
  }

  /** The {@link Host} handed to plugins. */
  private final class HostControl implements Host {
    @Override
    public void pause() {
      if (lifecycle.moveTo(Lifecycle.PAUSED)) {
        dispatcher.pause();
        if (config.get().pauseChildren()) {
          log.info("pause_children: stopped {} process groups", groups.signalAll(Signal.STOP));
        }
        notifyListeners("paused", l -> l.paused(host));
      }
    }

    @Override
    public void resume() {
      if (lifecycle.get() == Lifecycle.PAUSED && lifecycle.moveTo(Lifecycle.RUNNING)) {
        if (config.get().pauseChildren()) {
          log.info("pause_children: continued {} process groups", groups.signalAll(Signal.CONT));
        }
        dispatcher.resume();
        notifyListeners("resumed", l -> l.resumed(host));
      } else if (lifecycle.get() == Lifecycle.STOPPING) {
        log.debug("resume ignored while stopping");
      }
    }

    @Override
    public void stop() {
      stop.request();
    }

    @Override
    public void reload() {
      events.submit("reload", Daemon.this::reload);
    }

    @Override
    public void resize(int maxWorkers) {
      if (maxWorkers < 1 || maxWorkers > Defaults.MAX_WORKERS_LIMIT) {
        throw new IllegalArgumentException(
            "max_workers must be between 1 and "
                + Defaults.MAX_WORKERS_LIMIT
                + " (was "
                + maxWorkers
                + ")");
      }
      if (dispatcher != null) {
        int before = dispatcher.maxWorkers();
        dispatcher.resize(maxWorkers);
        log.info("max_workers {} -> {}", before, maxWorkers);
      }
    }

    @Override
    public void wake() {
      Dispatcher d = dispatcher;
      if (d != null) {
        d.wake();
      }
    }

    @Override
    public Stats stats() {
      Dispatcher d = dispatcher;
      Duration up = Duration.between(startedAt, Instant.now());
      if (d == null) {
        Config c = config.get();
        return new Stats(0, 0, 0, 0, 0, 0, 0, c == null ? 0 : c.maxWorkers(), up, lifecycle.get());
      }
      return d.stats(up, lifecycle.get());
    }

    @Override
    public Lifecycle lifecycle() {
      return lifecycle.get();
    }

    @Override
    public int signalChildren(Signal signal) {
      return groups == null ? 0 : groups.signalAll(signal);
    }

    @Override
    public List<RunningJob> runningJobs() {
      Dispatcher d = dispatcher;
      return d == null ? List.of() : d.runningJobs();
    }

    @Override
    public int stopJob(String jobId) {
      Dispatcher d = dispatcher;
      return d == null || jobId == null ? 0 : d.stopJob(jobId);
    }

    @Override
    public Map<String, String> status() {
      return service.status();
    }

    @Override
    public List<PluginState> pluginStates() {
      Plugins p = plugins;
      if (p == null) {
        return List.of();
      }
      List<PluginState> out = new ArrayList<>();
      for (PluginReport r : p.reports()) {
        out.add(new PluginState(r.id(), r.version(), r.state(), r.problems()));
      }
      return out;
    }

    @Override
    public Map<Signal, Long> signalsReceived() {
      return received.snapshot();
    }

    @Override
    public ReloadCounts reloads() {
      return new ReloadCounts(reloadsApplied.get(), reloadsRejected.get());
    }

    @Override
    public Map<String, List<MetricSample>> pluginMetrics() {
      return published.collect();
    }

    @Override
    public List<org.jobhost.api.AdminView> views() {
      return views.all();
    }

    @Override
    public List<MetricSample> hostMetrics() {
      Plugins p = plugins;
      return HostSamples.read(workerPool, groups, p == null ? List.of() : p.of(JobSource.class));
    }
  }

  /** What each extension gets at init. */
  private final class Context implements PluginContext {
    private final String pluginId;

    Context(String pluginId) {
      this.pluginId = pluginId;
    }

    @Override
    public String pluginId() {
      return pluginId;
    }

    @Override
    public PluginSettings settings() {
      return config.get().pluginSettings(pluginId);
    }

    @Override
    public Path stateDirectory() {
      Path dir = config.get().stateDir().resolve(pluginId);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot create " + dir + " for plugin " + pluginId, e);
      }
      return dir;
    }

    @Override
    public Path homeDirectory() {
      return config.get().home();
    }

    @Override
    public Host host() {
      return host;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public boolean strict() {
      return config.get().strict();
    }

    @Override
    public void publishMetrics(java.util.function.Supplier<List<MetricSample>> samples) {
      published.publish(this, pluginId, samples);
    }

    @Override
    public void publishView(org.jobhost.api.AdminView view) {
      views.publish(pluginId, view);
    }
  }

  /** What the service layer sees of the daemon. */
  private final class Control implements DaemonControl {
    @Override
    public Host host() {
      return host;
    }

    @Override
    public Config config() {
      return config.get();
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public List<PluginReport> plugins() {
      Plugins p = plugins;
      return p == null ? List.of() : p.reports();
    }

    @Override
    public String reloadAndWait(long timeoutMillis) throws InterruptedException {
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      String before = lastReload;
      events.submit(
          "reload",
          () -> {
            try {
              reload();
            } finally {
              done.countDown();
            }
          });
      if (!done.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        return "pending: the reload did not finish within " + timeoutMillis + " ms";
      }
      return lastReload.equals(before) ? "unknown" : lastReloadOutcome;
    }

    @Override
    public String lastReload() {
      return lastReload;
    }

    @Override
    public HotPlugins.Outcome rescanPlugins(long timeoutMillis) throws InterruptedException {
      java.util.concurrent.CompletableFuture<HotPlugins.Outcome> done =
          new java.util.concurrent.CompletableFuture<>();
      events.submit("plugins reload", () -> done.complete(Daemon.this.rescanPlugins()));
      try {
        return done.get(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        return new HotPlugins.Outcome(List.of(), List.of("the rescan failed: " + e.getCause()));
      } catch (java.util.concurrent.TimeoutException e) {
        return new HotPlugins.Outcome(
            List.of(),
            List.of("pending: the rescan did not finish within " + timeoutMillis + " ms"));
      }
    }

    @Override
    public int reopenLogs() {
      return LogSetup.reopen();
    }

    @Override
    public JobActivity activity() {
      return activity;
    }
  }
}
