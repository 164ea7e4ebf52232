package org.jobhost.host.service;

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
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends one request to the control socket and reads the answer within a time bound, so a wedged
 * daemon cannot hang the command. Thread-safe (stateless).
 */
public final class ControlClient {

  /** The longest answer read (a status is about 1 KB): the socket's directory is not root's. */
  static final int MAX_ANSWER = 1 << 20;

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ControlClient.class);

  private final Path socket;

  /**
   * @param socket the control socket file
   */
  public ControlClient(Path socket) {
    this.socket = socket;
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
      ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
      try {
        while (out.hasRemaining()) {
          ch.write(out);
        }
      } catch (IOException e) {
        // A busy daemon answers and closes before reading: its answer is still there to read.
        log.debug("control request {}: {}", request, e.toString());
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
