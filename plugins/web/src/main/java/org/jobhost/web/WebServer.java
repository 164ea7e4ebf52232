package org.jobhost.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.Host;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: the JDK's {@code com.sun.net.httpserver} (no dependency, enough for a loopback
 * endpoint scraped every few seconds and one dashboard tab) with two handler threads
 * ("jobhost-web-N") besides the server's own dispatcher thread.
 *
 * <p>Reads ({@code GET}) need nothing. Actions need {@code POST} and the token in the {@value
 * Token#HEADER} header; no cookie is ever set or read, so a page of another site cannot make a
 * browser send an action (a custom header needs a CORS preflight, which this server never grants),
 * and a request whose {@code Origin} is not this server is refused as well. Thread-safe.
 */
final class WebServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final int MAX_BODY = 4096;
  private static final String VIEWS = "/api/views/";

  private final HttpServer server;
  private final ExecutorService handlers;
  private final Host host;
  private final HostMetrics metrics;
  private final Views views;
  private final PluginViews pluginViews;
  private final Token token;

  private WebServer(HttpServer server, Host host, HostMetrics metrics, Views views, Token token) {
    this.server = server;
    this.handlers = handlerThreads();
    this.host = host;
    this.metrics = metrics;
    this.views = views;
    this.pluginViews = new PluginViews(host);
    this.token = token;
  }

  /**
   * Binds and starts serving.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  static WebServer start(
      InetSocketAddress listen, Host host, HostMetrics metrics, Views views, Token token)
      throws IOException {
    HttpServer http = HttpServer.create(listen, 16);
    WebServer w = new WebServer(http, host, metrics, views, token);
    http.createContext("/", w::handle);
    http.setExecutor(w.handlers);
    http.start();
    return w;
  }

  /** The two handler threads, which {@link #close()} ends. */
  private static ExecutorService handlerThreads() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        2,
        r -> {
          Thread t = new Thread(r, "jobhost-web-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The bound address (the real port when 0 was asked). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      if (path.startsWith("/api/") && isAction(path)) {
        if (!method.equals("POST")) {
          x.getResponseHeaders().set("Allow", "POST");
          send(x, 405, error("actions take POST with the " + Token.HEADER + " header"));
          return;
        }
        action(x, path);
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        send(x, 405, error(method + " is not allowed on " + path + "; use GET"));
        return;
      }
      switch (path) {
        case "/metrics" -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
          metrics.write(out);
          send(x, 200, HostMetrics.contentType(), out.toByteArray());
        }
        case "/" -> {
          x.getResponseHeaders()
              .set(
                  "Content-Security-Policy",
                  "default-src 'self'; frame-ancestors 'none'; form-action 'none';"
                      + " base-uri 'none'");
          x.getResponseHeaders().set("X-Frame-Options", "DENY");
          send(x, 200, "text/html; charset=utf-8", utf8(Dashboard.render(views, pluginViews)));
        }
        case "/dashboard.js" -> resource(x, "dashboard.js", "text/javascript; charset=utf-8");
        case "/dashboard.css" -> resource(x, "dashboard.css", "text/css; charset=utf-8");
        case "/api/status" -> send(x, 200, Json.status(views.status()));
        case "/api/jobs" -> send(x, 200, Json.write(views.jobs()));
        case "/api/live" -> send(x, 200, Json.live(views.live()));
        case "/api/plugins" -> send(x, 200, Json.write(views.plugins()));
        case "/api/signals" -> send(x, 200, Json.write(views.signals()));
        case "/api/views" -> send(x, 200, Json.write(pluginViews.describe()));
        default -> {
          if (path.startsWith(VIEWS) && path.indexOf('/', VIEWS.length()) < 0) {
            PluginViews.Answer a =
                pluginViews.rows(path.substring(VIEWS.length()), query(x.getRequestURI()));
            send(x, a.status(), Json.write(a.body()));
          } else {
            send(x, 404, error("no such page: " + path));
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("plugin=web {} {} failed: {}", x.getRequestMethod(), x.getRequestURI(), e, e);
      try {
        send(x, 500, error("the request failed: " + e + " (see the daemon's log)"));
      } catch (IOException | RuntimeException ignored) {
        // the response had begun; the client sees a cut answer
      }
    }
  }

  private static boolean isAction(String path) {
    return switch (path) {
      case "/api/pause", "/api/resume", "/api/resize", "/api/jobs/stop" -> true;
      default -> viewAction(path) != null;
    };
  }

  /** {@code /api/views/<name>/<action>} as {name, action}, or {@code null}. */
  private static String[] viewAction(String path) {
    if (!path.startsWith(VIEWS)) {
      return null;
    }
    String[] parts = path.substring(VIEWS.length()).split("/", -1);
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts : null;
  }

  private void action(HttpExchange x, String path) throws IOException {
    drain(x.getRequestBody());
    String origin = x.getRequestHeaders().getFirst("Origin");
    if (origin != null && !sameOrigin(origin, x.getRequestHeaders().getFirst("Host"))) {
      send(x, 403, error("cross-origin actions are refused (Origin " + origin + ")"));
      return;
    }
    if (!token.configured()) {
      send(
          x,
          403,
          error("control actions are off: set [plugins.web] token_file to a file holding a token"));
      return;
    }
    if (!token.matches(x.getRequestHeaders().getFirst(Token.HEADER))) {
      log.warn("plugin=web refused {} from {}: wrong or missing token", path, x.getRemoteAddress());
      send(x, 401, error("the " + Token.HEADER + " header is missing or wrong"));
      return;
    }
    Map<String, String> q = query(x.getRequestURI());
    String[] viewAction = viewAction(path);
    if (viewAction != null) {
      PluginViews.Answer a = pluginViews.act(viewAction[0], viewAction[1], q.get("key"));
      send(x, a.status(), Json.write(a.body()));
      return;
    }
    Map<String, Object> done = new LinkedHashMap<>();
    switch (path) {
      case "/api/pause" -> host.pause();
      case "/api/resume" -> host.resume();
      case "/api/resize" -> {
        int n;
        try {
          n = Integer.parseInt(q.getOrDefault("workers", ""));
          host.resize(n);
        } catch (IllegalArgumentException e) {
          send(
              x,
              400,
              error(
                  "resize needs workers=N with N from 1 to 4096 (was \""
                      + q.getOrDefault("workers", "")
                      + "\")"));
          return;
        }
        done.put("workers_max", n);
      }
      default -> {
        String id = q.get("id");
        int asked = id == null ? 0 : host.stopJob(id);
        if (asked == 0) {
          send(x, 404, error("no running job has the id \"" + id + "\""));
          return;
        }
        done.put("stopping", asked);
      }
    }
    log.info("plugin=web {} done for {}", path, x.getRemoteAddress());
    done.put("state", host.lifecycle().name().toLowerCase(java.util.Locale.ROOT));
    send(x, 200, Json.write(done));
  }

  private static boolean sameOrigin(String origin, String hostHeader) {
    try {
      URI o = URI.create(origin);
      String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return hostHeader != null && hostHeader.equalsIgnoreCase(authority);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[512];
    int total = 0;
    int n;
    while (total < MAX_BODY && (n = in.read(buf)) > 0) {
      total += n;
    }
  }

  private void resource(HttpExchange x, String name, String type) throws IOException {
    try (InputStream in = WebServer.class.getResourceAsStream(name)) {
      if (in == null) {
        send(x, 404, error("missing resource " + name));
        return;
      }
      send(x, 200, type, in.readAllBytes());
    }
  }

  private static String error(String message) {
    return Json.write(Map.of("error", message));
  }

  private static void send(HttpExchange x, int code, String json) throws IOException {
    send(x, code, "application/json; charset=utf-8", utf8(json));
  }

  private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(code, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Stops serving at once and ends the handler threads. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
