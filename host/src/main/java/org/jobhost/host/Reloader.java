package org.jobhost.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jobhost.api.Host;
import org.jobhost.api.Managed;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.jobhost.binding.ExtensionClasses;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigException;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.Plugins;
import org.jobhost.host.service.ServiceHooks;
import org.jobhost.host.signal.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration reload (HUP, {@code jobhost reload}): reads the configuration again, asks every
 * extension whose section changed whether it accepts the new one, and either keeps the running
 * configuration (a bad file, or one refusal) or applies the new one everywhere, then rescans
 * plugins_dir. Runs on the event thread; the last result and the counts may be read from any thread
 * (volatile and atomic).
 */
final class Reloader {

  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final Supplier<Config> load;
  private final DaemonState state;
  private final EventLoop events;
  private final Consumer<Signal> install;
  private final Listeners listeners;
  private final ServiceHooks service;
  private final Host host;
  private final Supplier<Map<String, List<Contribution<?>>>> extensions;
  private final java.util.concurrent.atomic.AtomicLong applied =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong rejected =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile ReloadResult last;

  /**
   * @param load reads the configuration as the start did (file and command-line overrides)
   * @param install installs the handler of a signal to forward
   * @param extensions every extension, grouped by plugin id ({@link #byPlugin})
   */
  Reloader(
      Supplier<Config> load,
      DaemonState state,
      EventLoop events,
      Consumer<Signal> install,
      Listeners listeners,
      ServiceHooks service,
      Host host,
      Supplier<Map<String, List<Contribution<?>>>> extensions) {
    this.load = load;
    this.state = state;
    this.events = events;
    this.install = install;
    this.listeners = listeners;
    this.service = service;
    this.host = host;
    this.extensions = extensions;
  }

  /** Reloads; on the event thread. */
  ReloadResult reload() {
    service.reloading();
    Config old = state.config();
    Config fresh;
    try {
      fresh = load.get();
    } catch (ConfigException e) {
      return rejected(List.of(e.getMessage()));
    }
    List<String> refusals = refusals(old, fresh);
    if (!refusals.isEmpty()) {
      return rejected(refusals);
    }
    state.config.set(fresh);
    ReloadResult result = ReloadResult.applied(state.clock.instant());
    last = result;
    applied.incrementAndGet();
    try {
      apply(old, fresh);
    } finally {
      service.reloaded(true, result.detail());
    }
    rescanPlugins();
    return result;
  }

  private ReloadResult rejected(List<String> refusals) {
    ReloadResult result = ReloadResult.rejected(refusals, state.clock.instant());
    last = result;
    rejected.incrementAndGet();
    log.error("reload rejected; keeping the running configuration. {}", result.detail());
    service.reloaded(false, result.detail());
    return result;
  }

  /** The last reload's result, {@code null} before the first. */
  ReloadResult last() {
    return last;
  }

  /** How the last reload ended, for {@code status}: {@code "none"} before the first. */
  String describeLast() {
    ReloadResult r = last;
    return r == null ? "none" : r.describe();
  }

  /** Reloads applied so far. */
  long applied() {
    return applied.get();
  }

  /** Reloads rejected so far. */
  long rejected() {
    return rejected.get();
  }

  /**
   * Rescans plugins_dir (the one of the start: a new one takes effect at the next restart) and
   * applies the difference; on the event thread.
   */
  HotPlugins.Outcome rescanPlugins() {
    HotPlugins h = state.hot;
    if (h == null) {
      return new HotPlugins.Outcome(List.of(), List.of("the daemon is still starting"));
    }
    Config c = state.config();
    Path dir = state.pluginsDir;
    try {
      return h.rescan(
          new HotPlugins.Settings(
              dir, c::pluginEnabled, c::pluginFile, c.timeouts().grace(), c.timeouts().kill()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HotPlugins.Outcome(List.of(), List.of("interrupted"));
    } catch (RuntimeException e) {
      log.error("plugins: the rescan of {} failed: {}", dir, e.toString(), e);
      return new HotPlugins.Outcome(List.of(), List.of("the rescan failed: " + e));
    }
  }

  private void apply(Config old, Config fresh) {
    log.info("reload applied; effective configuration:");
    for (String line : fresh.describe()) {
      log.info("  {}", line);
    }
    Dispatcher d = state.dispatcher;
    if (fresh.maxWorkers() != old.maxWorkers() && d != null) {
      d.resize(fresh.maxWorkers());
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
      install.accept(s);
    }
    for (Map.Entry<String, List<Contribution<?>>> e : extensions.get().entrySet()) {
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
                      c.pluginId(), what, () -> ((Managed) c.extension()).settingsChanged(after)));
        }
      }
    }
    listeners.tellNow("reloaded", l -> l.reloaded(host));
  }

  /**
   * Asks every extension whose section changed whether it accepts the new one; returns each refusal
   * as {@code "<plugin id>: <reason>"}, empty when all accept. Nothing is applied here.
   */
  private List<String> refusals(Config old, Config fresh) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Contribution<?>>> e : extensions.get().entrySet()) {
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
        return c.dirs().plugins();
      case "log_dir":
        return c.dirs().logs();
      case "state_dir":
        return c.dirs().state();
      default:
        return c.dirs().run();
    }
  }

  /**
   * Every extension of {@code plugins} (none when {@code null}), each instance once, grouped by
   * plugin id in load order.
   */
  static Map<String, List<Contribution<?>>> byPlugin(Plugins plugins) {
    Map<String, List<Contribution<?>>> out = new LinkedHashMap<>();
    if (plugins == null) {
      return out;
    }
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Class<? extends Managed> point : ExtensionClasses.POINTS) {
      for (Contribution<? extends Managed> c : plugins.of(point)) {
        if (seen.add(c.extension())) {
          out.computeIfAbsent(c.pluginId(), k -> new ArrayList<>()).add(c);
        }
      }
    }
    return out;
  }
}
