package org.jobhost.host.service;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jobhost.host.control.ControlProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix-domain stream socket (mode 0600) in {@code run_dir}, served by one
 * accept thread ("jobhost-control"; it must exist because the socket is the daemon's answering
 * channel) that hands each connection to a small fixed pool of handler threads with a bounded
 * queue: a connection beyond it is answered "busy" at once and closed. A request line must arrive
 * within the read timeout; accept errors (such as running out of descriptors) back off up to a
 * second instead of spinning. The peer's user (SO_PEERCRED) must be root or the daemon's own user.
 * Thread-safe.
 */
public final class ControlServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
  private static final int MAX_REQUEST = 256;

  /** How long the accept thread waits for the request of a connection it turns away. */
  private static final Duration BUSY_READ = Duration.ofSeconds(1);

  /** How the server bounds its clients. Immutable. */
  record Limits(int handlers, int queued, Duration readTimeout, Duration maxBackoff) {
    static final Limits DEFAULT = new Limits(4, 16, Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final Function<String, ControlProtocol> handler;
  private volatile Set<String> allowed;
  private final Thread acceptor;
  private final Limits limits;
  private final ThreadPoolExecutor handlers;
  private final AtomicInteger refused = new AtomicInteger();

  private ControlServer(
      Path path,
      ServerSocketChannel server,
      Function<String, ControlProtocol> handler,
      Set<String> allowed,
      Limits limits) {
    this.path = path;
    this.server = server;
    this.handler = handler;
    this.allowed = Set.copyOf(allowed);
    this.limits = limits;
    this.acceptor = new Thread(this::acceptLoop, "jobhost-control");
    acceptor.setDaemon(true);
    AtomicInteger n = new AtomicInteger();
    this.handlers =
        new ThreadPoolExecutor(
            limits.handlers(),
            limits.handlers(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.queued()),
            r -> {
              Thread t = new Thread(r, "jobhost-control-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    handlers.allowCoreThreadTimeOut(true);
  }

  /**
   * Binds the socket (replacing a leftover file: the caller holds the PID lock) and starts serving.
   *
   * @param handler answers one request line
   * @param allowed the user names that may connect
   * @throws ServiceException when the socket cannot be created
   */
  public static ControlServer open(
      Path path, Function<String, ControlProtocol> handler, Set<String> allowed) {
    return open(path, handler, allowed, Limits.DEFAULT);
  }

  static ControlServer open(
      Path path, Function<String, ControlProtocol> handler, Set<String> allowed, Limits limits) {
    if (path.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
      throw new ServiceException(
          "the control socket path "
              + path
              + " is longer than the 100 bytes a Unix socket allows; set run_dir to a shorter directory");
    }
    try {
      Files.createDirectories(path.getParent());
      Files.deleteIfExists(path);
      ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      ch.bind(UnixDomainSocketAddress.of(path));
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      ControlServer s = new ControlServer(path, ch, handler, allowed, limits);
      s.acceptor.start();
      return s;
    } catch (IOException e) {
      throw new ServiceException(
          "cannot create the control socket "
              + path
              + ": "
              + e.getMessage()
              + "; make run_dir writable for the daemon or set run_dir",
          e);
    }
  }

  /** The socket file. */
  public Path path() {
    return path;
  }

  /** Changes who may connect (after a user switch). */
  void allow(Set<String> users) {
    allowed = Set.copyOf(users);
  }

  /** How many connections were turned away because every handler was busy. */
  int refused() {
    return refused.get();
  }

  private void acceptLoop() {
    long backoff = 0;
    while (server.isOpen()) {
      SocketChannel c;
      try {
        c = server.accept();
        backoff = 0;
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
        backoff = Math.min(Math.max(10, backoff * 2), limits.maxBackoff().toMillis());
        log.warn("control socket {}: {}; accepting again in {} ms", path, e.toString(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        continue;
      }
      try {
        handlers.execute(() -> serve(c));
      } catch (RejectedExecutionException e) {
        busy(c);
      }
    }
  }

  private void busy(SocketChannel c) {
    if (refused.incrementAndGet() % 100 == 1) {
      log.warn(
          "control socket {}: all {} handlers busy and {} waiting; turned a connection away ({} so"
              + " far)",
          path,
          limits.handlers(),
          limits.queued(),
          refused.get());
    }
    try (c) {
      // Read what the client sent (briefly): closing with it unread would reset the connection
      // before the client sees the answer.
      readLine(c, BUSY_READ);
      c.configureBlocking(false);
      c.write(
          ByteBuffer.wrap(
              ControlProtocol.error("the daemon is busy with other control requests; try again")
                  .render()
                  .getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      log.debug("control connection: {}", e.toString());
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String user = peer.user().getName();
      // Read first: closing with the request unread would reset the connection.
      String request = readLine(c, limits.readTimeout());
      if (request == null || request.isEmpty()) {
        log.debug("control socket: no request within {} from {}", limits.readTimeout(), user);
        return;
      }
      ControlProtocol answer;
      if (!allowed.contains(user)) {
        log.warn("control socket: refused a request from user {}", user);
        answer =
            ControlProtocol.error(
                "user " + user + " may not control this daemon; run the command as " + allowed);
      } else {
        log.debug("control request from {}: {}", user, request);
        try {
          answer = handler.apply(request);
        } catch (RuntimeException e) {
          answer = ControlProtocol.error(request + " failed: " + e.getMessage());
        }
      }
      ByteBuffer out = ByteBuffer.wrap(answer.render().getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        c.write(out);
      }
    } catch (IOException e) {
      log.debug("control connection: {}", e.toString());
    }
  }

  /** The request line, or {@code null} when it does not come within {@code timeout}. */
  private static String readLine(SocketChannel c, Duration timeout) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
    long deadline = System.nanoTime() + timeout.toNanos();
    c.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      c.register(selector, SelectionKey.OP_READ);
      while (buf.hasRemaining()) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return null;
        }
        selector.select(left);
        selector.selectedKeys().clear();
        if (c.read(buf) < 0) {
          break;
        }
        if (buf.position() > 0 && buf.get(buf.position() - 1) == '\n') {
          break;
        }
      }
      c.keyFor(selector).cancel();
      selector.selectNow();
    }
    c.configureBlocking(true);
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
  }

  /** Stops serving and removes the socket file. */
  @Override
  public void close() {
    handlers.shutdownNow();
    try {
      server.close();
    } catch (IOException e) {
      log.debug("closing the control socket: {}", e.toString());
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("cannot remove the control socket {}: {}", path, e.toString());
    }
  }
}
