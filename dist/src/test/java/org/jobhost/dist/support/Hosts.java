package org.jobhost.dist.support;

import java.util.ArrayList;
import java.util.List;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The daemons one test starts, stopped after it whatever happened: register it with
 * {@code @RegisterExtension final Hosts hosts = new Hosts();} and start each daemon with {@link
 * #start}.
 */
public final class Hosts implements AfterEachCallback {

  private final List<HostProcess> started = new ArrayList<>();

  /**
   * Starts a daemon on {@code config}, its console in {@code <config dir>/<name>.out}, and waits
   * until it is ready.
   */
  public HostProcess start(HostConfig config, String name) {
    HostProcess h = HostProcess.launch(config.file(), config.dir().resolve(name + ".out"));
    started.add(h);
    h.awaitLog("ready:", HostProcess.START_TIMEOUT);
    return h;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(HostProcess::close);
    started.clear();
  }
}
