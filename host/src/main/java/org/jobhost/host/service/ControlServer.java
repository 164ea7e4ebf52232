package org.jobhost.host.service;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix-domain stream socket (mode 0600) in {@code run_dir}, served by one
 * accept thread ("jobhost-control"; it must exist because the socket is the daemon's answering
 * channel) that hands each connection to a short-lived thread. The peer's user (SO_PEERCRED) must
 * be root or the daemon's own user. Thread-safe.
 */
public final class ControlServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
  private static final int MAX_REQUEST = 256;

  private final Path path;
  private final ServerSocketChannel server;
  private final Function<String, ControlProtocol> handler;
  private volatile Set<String> allowed;
  private final Thread acceptor;

  private ControlServer(
      Path path,
      ServerSocketChannel server,
      Function<String, ControlProtocol> handler,
      Set<String> allowed) {
    this.path = path;
    this.server = server;
    this.handler = handler;
    this.allowed = Set.copyOf(allowed);
    this.acceptor = new Thread(this::acceptLoop, "jobhost-control");
    acceptor.setDaemon(true);
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
      ControlServer s = new ControlServer(path, ch, handler, allowed);
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

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel c = server.accept();
        Thread t = new Thread(() -> serve(c), "jobhost-control-request");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (server.isOpen()) {
          log.warn("control socket {}: {}", path, e.toString());
        }
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String user = peer.user().getName();
      // Read first: closing with the request unread would reset the connection.
      String request = readLine(c);
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

  private static String readLine(SocketChannel c) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
    while (buf.hasRemaining()) {
      if (c.read(buf) < 0) {
        break;
      }
      if (buf.position() > 0 && buf.get(buf.position() - 1) == '\n') {
        break;
      }
    }
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
  }

  /** Stops serving and removes the socket file. */
  @Override
  public void close() {
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
