package org.jobhost.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics}, the dashboard and {@code /api/} while the daemon runs. It counts jobs as
 * a {@link HostListener} and reads everything else from {@link Host} at request time.
 *
 * <p>Serving starts in {@link #init} only when {@code [plugins.web]} sets a {@code listen} address,
 * and never under {@code jobhost check} ({@link PluginContext#checkOnly()}: the settings and the
 * token file are checked, no port is bound); a reload that changes the section rebinds the server
 * (a bad new section is refused in {@link #validateSettings} and the old server keeps running; a
 * new address that cannot be bound leaves the plugin not serving, said in the log and the reload's
 * result). Thread-safe: {@link #jobStarted} and {@link #jobEnded} run on worker threads, the rest
 * on the host's start-up and event threads.
 */
public final class WebPlugin implements HostListener {

  private static final Logger log = LoggerFactory.getLogger(WebPlugin.class);

  private volatile HostMetrics metrics;
  private volatile Views views;
  private volatile Host host;
  private volatile Path home;
  private volatile java.time.Clock clock;
  private volatile WebServer server;

  @Override
  public synchronized void init(PluginContext context) throws Exception {
    WebSettings settings = WebSettings.from(context.settings(), context.homeDirectory());
    home = context.homeDirectory();
    host = context.host();
    clock = context.clock();
    if (!settings.serve()) {
      log.info(
          "plugin=web not serving: set [plugins.web] listen = \"{}\" (loopback) to serve /metrics"
              + " and the dashboard",
          WebSettings.DEFAULT_LISTEN);
      return;
    }
    if (context.checkOnly()) {
      // checked, not served: the daemon being checked for may hold the port already
      token(settings);
      return;
    }
    server = serve(settings);
  }

  /** The token actions need, read from {@code token_file}; {@link Token#NONE} without one. */
  private static Token token(WebSettings settings) {
    return settings.tokenFile() == null ? Token.NONE : Token.read(settings.tokenFile());
  }

  /** Starts serving; the metrics start counting here, so an idle plugin costs nothing. */
  private WebServer serve(WebSettings settings) throws IOException {
    if (metrics == null) {
      metrics = new HostMetrics(host, System::nanoTime, true);
      views = new Views(host, clock);
    }
    Token token = token(settings);
    InetSocketAddress listen = settings.listen();
    WebServer s;
    try {
      s = WebServer.start(listen, host, metrics, views, token);
    } catch (IOException e) {
      throw new SettingsException(
          "plugins.web.listen",
          "plugins.web.listen: cannot serve on "
              + listen
              + ": "
              + e.getMessage()
              + "; choose a free port or stop what uses it");
    }
    InetSocketAddress bound = s.address();
    log.info(
        "plugin=web serving http://{}:{}/ (metrics at /metrics); control actions {}",
        bound.getAddress().getHostAddress(),
        bound.getPort(),
        token.configured()
            ? "need the token of " + settings.tokenFile()
            : "are off (no token_file)");
    if (!bound.getAddress().isLoopbackAddress()) {
      log.warn(
          "plugin=web listens on {}, which is not a loopback address: anyone who reaches it can"
              + " read the dashboard and metrics; put a TLS reverse proxy in front (README,"
              + " Observability)",
          bound.getAddress().getHostAddress());
    }
    return s;
  }

  @Override
  public void validateSettings(PluginSettings settings) {
    WebSettings s = WebSettings.from(settings, home);
    if (s.serve() && s.tokenFile() != null) {
      try {
        Token.read(s.tokenFile());
      } catch (IllegalArgumentException e) {
        throw settings.invalid("token_file", e.getMessage());
      }
    }
  }

  @Override
  public synchronized void settingsChanged(PluginSettings settings) throws Exception {
    WebSettings s = WebSettings.from(settings, home);
    WebServer old = server;
    if (old != null) {
      old.close();
      server = null;
    }
    if (s.serve()) {
      server = serve(s);
    } else {
      log.info("plugin=web stopped serving ([plugins.web] no longer asks for it)");
    }
  }

  @Override
  public void jobStarted(Job job) {
    HostMetrics m = metrics;
    if (m != null) {
      m.jobStarted(job);
    }
  }

  @Override
  public void jobEnded(Job job, Outcome outcome) {
    HostMetrics m = metrics;
    if (m != null) {
      m.jobEnded(job, outcome);
    }
  }

  /** The bound address, or {@code null} when not serving (for tests). */
  InetSocketAddress address() {
    WebServer s = server;
    return s == null ? null : s.address();
  }

  @Override
  public synchronized void close() {
    WebServer s = server;
    if (s != null) {
      s.close();
      server = null;
    }
  }
}
