package org.jobhost.dist.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.jobhost.testsupport.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test plays systemd: it opens NOTIFY_SOCKET (a Unix datagram socket) and checks what {@code
 * jobhost run} sends through a start, a reload, watchdog pings and a stop.
 */
class SystemdNotifyIT {

  @TempDir Path tmp;
  private Sandbox box;
  private UnixDatagramChannel socket;
  private Thread receiver;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopEverything() throws IOException {
    if (box != null) {
      box.close();
    }
    if (socket != null) {
      socket.close();
    }
    if (receiver != null) {
      receiver.interrupt();
    }
  }

  private String listen(String address) throws IOException {
    socket = UnixDatagramChannel.open();
    socket.bind(new UnixSocketAddress(address));
    receiver =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(4096);
              while (socket.isOpen()) {
                try {
                  buf.clear();
                  socket.receive(buf);
                  buf.flip();
                  messages.add(StandardCharsets.UTF_8.decode(buf).toString());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "notify-receiver");
    receiver.setDaemon(true);
    receiver.start();
    return address;
  }

  @Test
  void sendsReadyReloadingWatchdogAndStoppingFromItsOwnPid() throws Exception {
    box = new Sandbox(tmp, "allow_root = true\n[plugins.demo]\ncount = 0\nrate = 5\n");
    String address = listen(tmp.resolve("notify.sock").toString());

    Process daemon = box.spawn(Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "400000"), "run");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> messages.stream().anyMatch(m -> m.contains("READY=1")));
    String ready = messages.stream().filter(m -> m.contains("READY=1")).findFirst().orElseThrow();
    assertThat(ready)
        .contains("MAINPID=" + daemon.pid())
        .containsPattern("STATUS=running: \\d+/\\d+ workers busy");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> messages.stream().anyMatch(m -> m.startsWith("WATCHDOG=1\nSTATUS=")));

    long before = System.nanoTime() / 1000;
    Cli reload = box.jobhost("reload");
    long after = System.nanoTime() / 1000;
    assertThat(reload.code()).as(reload.all()).isZero();
    String reloading =
        messages.stream().filter(m -> m.startsWith("RELOADING=1")).findFirst().orElseThrow();
    long monotonic = Long.parseLong(reloading.replaceAll("(?s).*MONOTONIC_USEC=(\\d+).*", "$1"));
    assertThat(monotonic).isBetween(before, after);
    int at = messages.indexOf(reloading);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                messages.subList(at, messages.size()).stream()
                    .anyMatch(m -> m.startsWith("READY=1\nSTATUS=reload applied")));

    daemon.destroy();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> messages.stream().anyMatch(m -> m.startsWith("STOPPING=1")));
    assertThat(daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void reachesAnAbstractNotifySocket() throws Exception {
    box = new Sandbox(tmp, "allow_root = true\n[plugins.demo]\nenabled = false\n");
    String name = "jobhost-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    listen("\0" + name);

    box.spawn(Map.of("NOTIFY_SOCKET", "@" + name), "run");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> messages.stream().anyMatch(m -> m.contains("READY=1")));
  }
}
