import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor the start-up figures are measured against: a JVM that binds a Unix-domain socket (as
 * the daemon's control socket does), prints "ready" and exits. Usage: {@code java Floor SOCKET}.
 */
public final class Floor {
  public static void main(String[] args) throws Exception {
    Path p = Path.of(args[0]);
    Files.deleteIfExists(p);
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(p));
      System.out.println("ready");
    }
    Files.deleteIfExists(p);
  }
}
