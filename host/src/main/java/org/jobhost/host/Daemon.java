package org.jobhost.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.JobSource;
import org.jobhost.api.Lifecycle;
import org.jobhost.api.PluginContext;
import org.jobhost.api.ReloadCounts;
import org.jobhost.api.Signal;
import org.jobhost.host.cli.Cli;
import org.jobhost.host.cli.progress.Progress;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.config.JavaRuntime;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.dispatch.Waiter;
import org.jobhost.host.logging.LogSetup;
import org.jobhost.host.plugins.Bindings;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.jobhost.host.service.ServiceException;
import org.jobhost.host.service.ServiceHooks;
import org.jobhost.host.signal.BuiltInSignal;
import org.jobhost.host.signal.EventLoop;
import org.jobhost.host.signal.SignalBridge;
import org.jobhost.host.signal.UnboundSignals;
import org.jobhost.host.worker.WorkerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: wires configuration, plugins, dispatcher and signals, runs until stopped, and stops
 * in order. The one composition root. Thread-safe: its control methods (the {@link Host} it hands
 * out) may be called from any thread.
 *
 * <p>Longer than the ~350 lines the style guide aims at, on purpose: the start and the stop are
 * each one ordered sequence whose steps (and each step's exit code and clean-up) read best in one
 * place; the signal table, reload, listener fan-out, plugin context, {@link Host} and service
 * control each have their own class.
 *
 * <p>What other threads read is in {@link DaemonState} (final, atomic or volatile fields); the
 * fields of this class are final and thread-safe objects, so the signal thread's sink ({@link
 * #onSignal}) reads nothing unsafely.
 */
public final class Daemon {

  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** Reads the configuration as given on the command line, at the start and at each reload. */
  private final Supplier<Config> load;

  private final List<String> overrides;
  private final boolean exitWhenIdle;
  private final ServiceHooks service;
  private final PrintWriter err;
  private final DaemonState state = new DaemonState(Clock.systemUTC());
  private final HostControl host;
  private final Listeners listeners;
  private final Reloader reloader;
  private final EventLoop events;
  private final SignalBridge bridge;
  private final HookInstaller hooks;

  /**
   * Creates the daemon and installs the built-in signal handlers at once, before anything else can
   * be slow: on JDK 17 an unhandled USR2 crashes the JVM, TSTP stops it and USR1 kills it. Why a
   * start fails is printed on standard error as well as logged.
   */
  public Daemon(
      ConfigLoader loader,
      Path explicitConfig,
      List<String> overrides,
      boolean exitWhenIdle,
      ServiceHooks service) {
    this(
        loader,
        explicitConfig,
        overrides,
        exitWhenIdle,
        service,
        new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }

  /**
   * @param err where a failed start says why, for the operator who ran the command
   */
  Daemon(
      ConfigLoader loader,
      Path explicitConfig,
      List<String> overrides,
      boolean exitWhenIdle,
      ServiceHooks service,
      PrintWriter err) {
    this.overrides = List.copyOf(overrides);
    this.load = () -> loader.load(explicitConfig, this.overrides);
    this.service = service;
    this.exitWhenIdle = exitWhenIdle;
    this.err = err;
    UnboundSignals unbound = new UnboundSignals();
    this.bridge = SignalBridge.forProcess(unbound);
    this.host =
        new HostControl(state, this::tellListeners, service, this::requestReload, this::reloads);
    this.events = new EventLoop(state.clock, host, unbound);
    this.listeners = new Listeners(events, state.activity);
    this.reloader =
        new Reloader(
            load,
            state,
            events,
            bridge::install,
            listeners,
            service,
            host,
            () -> Reloader.byPlugin(state.plugins));
    bridge.attach(this::onSignal);
    for (Signal s : BuiltInSignal.signals()) {
      bridge.install(s);
    }
    for (Signal s : SignalBridge.TAKEN_AT_START) {
      bridge.install(s);
    }
    BuiltInActions.bind(events, host, this::reload);
    this.hooks = new HookInstaller(bridge, events, state);
  }

  /** The handle plugins and hooks get. */
  public Host host() {
    return host;
  }

  /** Runs until stopped; returns the process exit code. */
  public int run() {
    Config cfg;
    try {
      cfg = load.get();
    } catch (ConfigException e) {
      log.error("{}", e.getMessage());
      err.println("jobhost: " + e.getMessage());
      return ExitCodes.CONFIG;
    }
    state.config.set(cfg);
    try {
      service.prepare(cfg);
    } catch (ServiceException e) {
      err.println("jobhost: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    try {
      LogSetup.apply(
          cfg.dirs().home().resolve("conf").resolve("logback.xml"),
          cfg.dirs().logs(),
          cfg.service().logFormat(),
          System.getenv("JOURNAL_STREAM"));
      Files.createDirectories(cfg.dirs().state());
    } catch (IOException e) {
      log.error("cannot prepare directories: {}", e.getMessage());
      err.println("jobhost: " + e.getMessage() + "; check that the directory is writable");
      return ExitCodes.FAILURE;
    }
    String unwritable = StateDirectory.problem(cfg.dirs().state());
    if (unwritable != null) {
      return failStart(unwritable, false);
    }
    log.info(
        "jobhost {} starting (pid {}, Java {}); effective configuration:",
        Version.get(),
        ProcessHandle.current().pid(),
        Runtime.version());
    for (String line : cfg.describe()) {
      log.info("  {}", line);
    }
    bridge.releaseWarnings();
    try {
      service.starting(cfg, new Control(host, state, events, reloader));
    } catch (ServiceException e) {
      return failStart(e.getMessage(), true);
    }
    ProcessGroups groups =
        new ProcessGroups(
            Posix.load(), new ProcTable(), cfg.dirs().state().resolve("process-groups"));
    state.groups = groups;
    int leftovers;
    try {
      leftovers = groups.cleanUpAfterCrash(cfg.timeouts().kill());
    } catch (UncheckedIOException e) {
      return failStart(
          e.getMessage()
              + "; jobhost records its children there and cannot run without it: make "
              + cfg.dirs().state()
              + " writable by the user jobhost runs as, or set state_dir",
          true);
    }
    if (leftovers > 0) {
      log.warn("terminated {} process groups left by a previous run", leftovers);
    }
    Dispatcher dispatcher = startPlugins(cfg);
    if (dispatcher == null) {
      return ExitCodes.FAILURE;
    }
    events.start();
    Thread loop =
        new Thread(
            () -> {
              try {
                dispatcher.run(exitWhenIdle, service::loopTick);
              } finally {
                state.stop.loopEnded();
              }
            },
            "jobhost-dispatcher");
    if (!state.lifecycle.moveTo(Lifecycle.RUNNING)) {
      log.info("a stop was requested during start-up");
    } else {
      listeners.tell("started", l -> l.started(host));
      log.info(
          "jobhost {} ready: {} sources, runners for types {}, {} workers, dispatch {}",
          Version.get(),
          state.sources().size(),
          dispatcher.types(),
          dispatcher.maxWorkers(),
          cfg.dispatch().name().toLowerCase(Locale.ROOT));
      loop.start();
      service.ready();
    }
    // The known total needs every source to tell its depth; else done and rate only.
    Progress progress =
        exitWhenIdle
            ? Progress.startOnTerminal(host::stats, () -> HostSamples.waiting(state.sources()))
            : null;
    try {
      while (!state.stop.await(Duration.ofSeconds(60))) {
        // wait for a stop request or the end of the dispatch loop (--exit-when-idle)
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (progress != null) {
      progress.close();
    }
    return stopInOrder(dispatcher, loop);
  }

  /** Logs and prints why the start failed; returns the exit code. */
  private int failStart(String why, boolean serviceStarted) {
    log.error("{}", why);
    err.println("jobhost: " + why);
    if (serviceStarted) {
      service.stopped();
    }
    return ExitCodes.FAILURE;
  }

  /**
   * Loads and binds the plugins and builds the dispatcher; {@code null} after saying why, when
   * strict = true refuses plugins with problems.
   */
  private Dispatcher startPlugins(Config cfg) {
    state.pluginsDir = cfg.dirs().plugins();
    Plugins plugins = Plugins.load(cfg.dirs().plugins(), cfg::pluginEnabled, cfg::pluginFile);
    state.plugins = plugins;
    plugins.initAll(this::contextFor);
    Bindings bindings = Bindings.bind(plugins, Cli.BUILT_IN_COMMANDS);
    hooks.install(bindings.hooks());
    for (Signal s : cfg.forwardSignals()) {
      bridge.install(s);
    }
    int failed = reportPlugins(plugins);
    if (cfg.strict() && failed > 0) {
      log.error("strict = true and {} plugins have problems; not starting", failed);
      err.println(
          "jobhost: strict = true and " + failed + " plugins have problems (see jobhost plugins)");
      plugins.closeAll();
      service.stopped();
      return null;
    }
    listeners.set(plugins.of(HostListener.class));
    WorkerPool workerPool =
        new WorkerPool(
            state.config::get,
            state.groups,
            JavaRuntime.current(),
            cfg.file(),
            overrides,
            () -> ThreadLocalRandom.current().nextDouble());
    state.workerPool = workerPool;
    Dispatcher dispatcher =
        new Dispatcher(
            state.config::get,
            plugins.of(JobSource.class),
            bindings.runners(),
            workerPool,
            state.groups,
            listeners,
            state.clock,
            new Waiter(),
            threadPool(),
            () -> ThreadLocalRandom.current().nextDouble());
    state.dispatcher = dispatcher;
    state.hot =
        new HotPlugins(
            plugins,
            new LivePlugins(
                host,
                state.stop::requested,
                dispatcher,
                events,
                workerPool,
                hooks::install,
                listeners::set,
                id -> {
                  state.views.forget(id);
                  state.published.forget(id);
                }),
            this::contextFor,
            Cli.BUILT_IN_COMMANDS);
    return dispatcher;
  }

  private int stopInOrder(Dispatcher dispatcher, Thread loop) {
    state.lifecycle.moveTo(Lifecycle.STOPPING);
    service.stopping();
    listeners.tell("stopping", l -> l.stopping(host));
    Config cfg = state.config();
    dispatcher.beginStop();
    try {
      if (dispatcher.running() > 0) {
        log.info(
            "waiting up to {} ms (grace_timeout) for {} running jobs",
            cfg.timeouts().grace().toMillis(),
            dispatcher.running());
      }
      long graceEnd = System.nanoTime() + cfg.timeouts().grace().toNanos();
      while (dispatcher.running() > 0 && System.nanoTime() < graceEnd && !state.stop.urgent()) {
        dispatcher.awaitDrained(Duration.ofMillis(50));
      }
      if (dispatcher.running() > 0) {
        log.warn(
            "{} jobs still running {}; interrupting them and sending TERM to their process groups",
            dispatcher.running(),
            state.stop.urgent() ? "at a second stop request" : "after grace_timeout");
        dispatcher.forceStop();
        if (!dispatcher.awaitDrained(cfg.timeouts().kill().plus(Duration.ofSeconds(2)))) {
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
    state.workerPool.close();
    state.plugins.closeAll();
    state.lifecycle.moveTo(Lifecycle.STOPPED);
    listeners.tell("stopped", l -> l.stopped(host));
    events.close(Duration.ofSeconds(2));
    log.info("jobhost stopped: {}", host.stats().summary());
    service.stopped();
    return ExitCodes.OK;
  }

  /** The bridge's sink, on the JVM's signal thread: never blocks. */
  private void onSignal(Signal signal) {
    state.received.count(signal);
    if (signal == Signal.TERM || signal == Signal.INT) {
      if (state.stop.request() > 1) {
        log.warn("signal={} again: stopping at once", signal.fullName());
      }
    }
    events.deliver(signal);
    Config cfg = state.config();
    ProcessGroups groups = state.groups;
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

  /** A reload on the event thread. */
  private void reload() {
    reloader.reload();
  }

  private void requestReload() {
    events.submit("reload", this::reload);
  }

  private ReloadCounts reloads() {
    return new ReloadCounts(reloader.applied(), reloader.rejected());
  }

  private void tellListeners(String what, Consumer<HostListener> call) {
    listeners.tell(what, call);
  }

  private static int reportPlugins(Plugins plugins) {
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
    return DefaultPluginContext.daemon(
        pluginId, state.config::get, host, state.clock, state.published, state.views);
  }

  private static ThreadPoolExecutor threadPool() {
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
}
