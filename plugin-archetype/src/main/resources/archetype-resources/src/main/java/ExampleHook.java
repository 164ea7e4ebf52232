package ${package};

import java.util.Set;
import org.jobhost.api.Host;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalEvent;
import org.jobhost.api.SignalHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On WINCH (which has no built-in action), logs the daemon's counters. Runs on the host's event
 * thread: it returns at once, and steers the daemon only through {@link Host}.
 */
public final class ExampleHook implements SignalHook {

  private static final Logger log = LoggerFactory.getLogger(ExampleHook.class);

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.WINCH);
  }

  @Override
  public void onSignal(SignalEvent event, Host host) {
    log.info("${pluginId} hook on {}: {}", event.signal().fullName(), host.stats().summary());
  }
}
