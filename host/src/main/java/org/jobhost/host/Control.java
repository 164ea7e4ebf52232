package org.jobhost.host;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jobhost.api.Host;
import org.jobhost.host.config.Config;
import org.jobhost.host.control.DaemonControl;
import org.jobhost.host.control.JobActivity;
import org.jobhost.host.logging.LogSetup;
import org.jobhost.host.plugins.HotPlugins;
import org.jobhost.host.plugins.PluginReport;
import org.jobhost.host.signal.EventLoop;

/**
 * What the service layer (control socket, status) sees of the daemon. Reloads and rescans run on
 * the event thread, as a HUP's do; the caller waits for them with a bound. Thread-safe.
 */
record Control(Host host, DaemonState state, EventLoop events, Reloader reloader)
    implements DaemonControl {

  @Override
  public Host host() {
    return host;
  }

  @Override
  public Config config() {
    return state.config();
  }

  @Override
  public Instant startedAt() {
    return state.startedAt;
  }

  @Override
  public List<PluginReport> plugins() {
    return state.reports();
  }

  @Override
  public String reloadAndWait(long timeoutMillis) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    ReloadResult before = reloader.last();
    events.submit(
        "reload",
        () -> {
          try {
            reloader.reload();
          } finally {
            done.countDown();
          }
        });
    if (!done.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
      return "pending: the reload did not finish within " + timeoutMillis + " ms";
    }
    ReloadResult after = reloader.last();
    return after == before ? "unknown" : after.outcome();
  }

  @Override
  public String lastReload() {
    return reloader.describeLast();
  }

  @Override
  public HotPlugins.Outcome rescanPlugins(long timeoutMillis) throws InterruptedException {
    CompletableFuture<HotPlugins.Outcome> done = new CompletableFuture<>();
    events.submit("plugins reload", () -> done.complete(reloader.rescanPlugins()));
    try {
      return done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return new HotPlugins.Outcome(List.of(), List.of("the rescan failed: " + e.getCause()));
    } catch (TimeoutException e) {
      return new HotPlugins.Outcome(
          List.of(), List.of("pending: the rescan did not finish within " + timeoutMillis + " ms"));
    }
  }

  @Override
  public int reopenLogs() {
    return LogSetup.reopen();
  }

  @Override
  public JobActivity activity() {
    return state.activity;
  }
}
