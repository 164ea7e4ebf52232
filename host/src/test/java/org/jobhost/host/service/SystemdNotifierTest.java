package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {

  @TempDir Path tmp;
  private UnixDatagramChannel socket;

  @AfterEach
  void close() throws Exception {
    if (socket != null) {
      socket.close();
    }
  }

  private String bind(String address) throws Exception {
    socket = UnixDatagramChannel.open();
    socket.bind(new UnixSocketAddress(address));
    return address;
  }

  private String receive() throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    socket.receive(buf);
    buf.flip();
    return StandardCharsets.UTF_8.decode(buf).toString();
  }

  /**
   * The notifier of process {@code pid} with {@code NOTIFY_SOCKET} naming a path socket this test
   * reads, and the further environment variables {@code env} (name, value, name, value, ...).
   */
  private SystemdNotifier notifier(long pid, String... env) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("NOTIFY_SOCKET", bind(tmp.resolve("notify").toString()));
    for (int i = 0; i + 1 < env.length; i += 2) {
      environment.put(env[i], env[i + 1]);
    }
    return SystemdNotifier.fromEnvironment(environment, pid);
  }

  @Test
  void withoutNotifySocketThereIsNoNotifier() {
    assertThat(SystemdNotifier.fromEnvironment(Map.of(), 1)).isNull();
  }

  @Test
  void sendsToAPathSocket() throws Exception {
    try (SystemdNotifier n = notifier(1)) {
      n.send("READY=1");

      assertThat(receive()).isEqualTo("READY=1");
    }
  }

  @Test
  void sendsToAnAbstractSocketWrittenWithAnAt() throws Exception {
    String name = "jobhost-test-" + System.nanoTime();
    bind("\0" + name);
    try (SystemdNotifier n =
        SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name), 1)) {
      n.send("STOPPING=1");

      assertThat(receive()).isEqualTo("STOPPING=1");
    }
  }

  @Test
  void reloadingCarriesTheMonotonicClockInMicroseconds() throws Exception {
    try (SystemdNotifier n = notifier(1)) {
      long before = System.nanoTime() / 1000;
      n.reloading();
      long after = System.nanoTime() / 1000;

      String m = receive();
      assertThat(m).startsWith("RELOADING=1\nMONOTONIC_USEC=");
      assertThat(Long.parseLong(m.substring(m.indexOf('=', 12) + 1))).isBetween(before, after);
    }
  }

  @Test
  void watchdogIsPingedAtHalfItsInterval() throws Exception {
    try (SystemdNotifier n = notifier(7, "WATCHDOG_USEC", "2", "WATCHDOG_PID", "7")) {
      assertThat(n.watchdogInterval()).isEqualTo(Duration.ofNanos(1000));
      long start = System.nanoTime();
      while (System.nanoTime() - start < 2000) {
        Thread.onSpinWait();
      }

      n.tick(() -> "running: 0/1 workers busy");

      assertThat(receive()).isEqualTo("WATCHDOG=1\nSTATUS=running: 0/1 workers busy");
    }
  }

  @Test
  void tickBeforeTheIntervalSendsNothing() throws Exception {
    try (SystemdNotifier n = notifier(1, "WATCHDOG_USEC", "3600000000")) {
      n.tick(() -> "never");
      n.send("MARK=1");

      assertThat(receive()).isEqualTo("MARK=1");
    }
  }

  @Test
  void watchdogForAnotherPidIsIgnored() throws Exception {
    try (SystemdNotifier n = notifier(7, "WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "8")) {
      assertThat(n.watchdogInterval()).isZero();
    }
  }
}
