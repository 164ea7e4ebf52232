package org.jobhost.host.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.jobhost.host.logging.LazyLog;

/**
 * Sends one request to the control socket and reads the answer within a time bound, so a wedged
 * daemon cannot hang the command. The socket lies in a directory of the service user, so before
 * sending anything it checks who serves it (SO_PEERCRED): a link planted there cannot make root's
 * command talk to another program's socket. Thread-safe (stateless).
 */
public final class ControlClient {

  /** The longest answer read (a status is about 1 KB): the socket's directory is not root's. */
  static final int MAX_ANSWER = 1 << 20;

  private static final LazyLog log = new LazyLog(ControlClient.class);

  private final Path socket;

  private final String user;

  /**
   * @param socket the control socket file
   * @param user the user the daemon runs as (the configured {@code user}), or {@code null} when
   *     none is configured; a request is sent only to a daemon of that user
   */
  public ControlClient(Path socket, String user) {
    this.socket = socket;
    this.user = user;
  }

  /**
   * The user the daemon at the socket must run as: the configured {@code user}, else the owner of
   * the socket file itself (not of what a link there points to).
   */
  private String expectedPeer() throws IOException {
    if (user != null) {
      return user;
    }
    return Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName();
  }

  /** Whether the socket file exists. */
  public boolean present() {
    return Files.exists(socket);
  }

  /** The socket file. */
  public Path socket() {
    return socket;
  }

  /**
   * Sends {@code request} and returns the daemon's answer.
   *
   * @throws IOException when the socket cannot be reached or the answer does not come in time
   */
  public ControlProtocol request(String request, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      String peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
      String expected = expectedPeer();
      if (!peer.equals(expected)) {
        throw new IOException(
            "the control socket "
                + socket
                + " is served by user "
                + peer
                + ", not by "
                + expected
                + "; nothing was sent (a link planted there leads elsewhere)");
      }
      ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
      try {
        while (out.hasRemaining()) {
          ch.write(out);
        }
      } catch (IOException e) {
        // A busy daemon answers and closes before reading: its answer is still there to read.
        log.get().debug("control request {}: {}", request, e.toString());
      }
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(8192);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException(
              "no answer from " + socket + " within " + timeout.toMillis() + " ms to " + request);
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n = ch.read(in);
        if (n < 0) {
          break;
        }
        answer.write(in.array(), 0, in.position());
        if (answer.size() > MAX_ANSWER) {
          throw new IOException(
              "the answer from " + socket + " is longer than " + MAX_ANSWER + " bytes; ignored");
        }
        in.clear();
      }
      return ControlProtocol.parse(answer.toString(StandardCharsets.UTF_8));
    }
  }
}
