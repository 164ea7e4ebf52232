package org.jobhost.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.plugins.Bindings;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.plugins.FaultBoundary;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.signal.EventLoop;
import org.jobhost.host.worker.WorkerPool;

/**
 * The running daemon as {@link HotPlugins} changes its plugins: the dispatcher's sources and
 * runners, the event loop's hooks, the listeners and the worker JVMs. Thread-safe as its parts are.
 */
final class LivePlugins implements HotPlugins.Running {

  private final Host host;
  private final BooleanSupplier stopping;
  private final Dispatcher dispatcher;
  private final EventLoop events;
  private final WorkerPool workers;
  private final Consumer<Map<Signal, List<Contribution<SignalHook>>>> installHooks;
  private final Consumer<List<Contribution<HostListener>>> setListeners;
  private final Consumer<String> forget;

  /**
   * @param installHooks installs a handler for each signal and binds the hooks (as at start)
   * @param setListeners sets the listeners the daemon tells
   * @param forget drops what a plugin published (views, metrics)
   */
  LivePlugins(
      Host host,
      BooleanSupplier stopping,
      Dispatcher dispatcher,
      EventLoop events,
      WorkerPool workers,
      Consumer<Map<Signal, List<Contribution<SignalHook>>>> installHooks,
      Consumer<List<Contribution<HostListener>>> setListeners,
      Consumer<String> forget) {
    this.host = host;
    this.stopping = stopping;
    this.dispatcher = dispatcher;
    this.events = events;
    this.workers = workers;
    this.installHooks = installHooks;
    this.setListeners = setListeners;
    this.forget = forget;
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public boolean stopping() {
    return stopping.getAsBoolean();
  }

  @Override
  public Set<String> typesOf(Set<String> pluginIds) {
    Set<String> out = new TreeSet<>();
    dispatcher
        .runners()
        .forEach(
            (type, runner) -> {
              if (pluginIds.contains(runner.pluginId())) {
                out.add(type);
              }
            });
    return out;
  }

  @Override
  public void hold(Set<String> types, List<Contribution<JobSource>> sources)
      throws InterruptedException {
    dispatcher.hold(types, sources);
  }

  @Override
  public boolean awaitNone(BiPredicate<Job, String> which, Duration max)
      throws InterruptedException {
    return dispatcher.awaitNone(which, max);
  }

  @Override
  public int stopWhere(BiPredicate<Job, String> which) {
    return dispatcher.stopWhere(which);
  }

  @Override
  public int returnBacklogOf(String pluginId) {
    return dispatcher.returnBacklogOf(pluginId);
  }

  @Override
  public void listeners(List<Contribution<HostListener>> listeners) {
    setListeners.accept(List.copyOf(listeners));
  }

  @Override
  public void bind(
      List<Contribution<JobSource>> sources,
      Bindings bindings,
      List<Contribution<HostListener>> listeners) {
    events.rebind(Map.of());
    installHooks.accept(bindings.hooks());
    setListeners.accept(List.copyOf(listeners));
    Map<String, Contribution<JobRunner>> runners = bindings.runners();
    dispatcher.swap(sources, runners);
  }

  @Override
  public void tell(List<Contribution<HostListener>> to, String what, Consumer<HostListener> call) {
    for (Contribution<HostListener> l : to) {
      String label = "HostListener." + what;
      events.runWithin(
          l.pluginId(),
          label,
          () -> FaultBoundary.run(l.pluginId(), label, () -> call.accept(l.extension())));
    }
  }

  @Override
  public void recycleWorkers(String why) {
    workers.recycleAll(why);
  }

  @Override
  public void forget(String pluginId) {
    forget.accept(pluginId);
  }
}
