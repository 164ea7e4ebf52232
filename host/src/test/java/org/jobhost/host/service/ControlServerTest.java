package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jobhost.host.control.ControlClient;
import org.jobhost.host.control.ControlProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

  @TempDir Path tmp;

  private static String me() {
    return System.getProperty("user.name");
  }

  @Test
  void answersARequestOverAnOwnerOnlySocket() throws Exception {
    Path sock = tmp.resolve("run/jobhost.sock");
    try (ControlServer server =
        ControlServer.open(sock, r -> ControlProtocol.ok(Map.of("echo", r)), Set.of(me()))) {
      assertThat(Files.getPosixFilePermissions(server.path()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));

      ControlProtocol a = new ControlClient(sock, null).request("resize 3", Duration.ofSeconds(5));

      assertThat(a.ok()).isTrue();
      assertThat(a.fields()).containsEntry("echo", "resize 3");
    }
    assertThat(sock).doesNotExist();
  }

  @Test
  void peerOfAnotherUserIsRefused() throws Exception {
    Path sock = tmp.resolve("jobhost.sock");
    try (ControlServer server =
        ControlServer.open(sock, r -> ControlProtocol.ok(Map.of()), Set.of("somebody-else"))) {
      ControlProtocol a =
          new ControlClient(server.path(), null).request("status", Duration.ofSeconds(5));

      assertThat(a.ok()).isFalse();
      assertThat(a.error())
          .isEqualTo(
              "user " + me() + " may not control this daemon; run the command as [somebody-else]");
    }
  }

  @Test
  void silentClientIsDroppedAfterTheReadTimeoutAndTheNextIsServed() throws Exception {
    Path sock = tmp.resolve("jobhost.sock");
    ControlServer.Limits limits =
        new ControlServer.Limits(1, 1, Duration.ofMillis(300), Duration.ofSeconds(1));
    try (ControlServer server =
            ControlServer.open(
                sock, r -> ControlProtocol.ok(Map.of("echo", r)), Set.of(me()), limits);
        SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.connect(UnixDomainSocketAddress.of(sock));

      ControlProtocol a =
          new ControlClient(server.path(), null).request("status", Duration.ofSeconds(30));

      assertThat(a.fields()).containsEntry("echo", "status");
      assertThat(silent.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }
  }

  @Test
  void connectionsBeyondTheHandlersAndTheQueueAreTurnedAwayBusy() throws Exception {
    Path sock = tmp.resolve("jobhost.sock");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    ControlServer.Limits limits =
        new ControlServer.Limits(1, 1, Duration.ofSeconds(30), Duration.ofSeconds(1));
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try (ControlServer server =
        ControlServer.open(
            sock,
            r -> {
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return ControlProtocol.ok(Map.of("echo", r));
            },
            Set.of(me()),
            limits)) {
      Future<ControlProtocol> first =
          clients.submit(
              () -> new ControlClient(sock, null).request("one", Duration.ofSeconds(60)));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      Future<ControlProtocol> queued =
          clients.submit(
              () -> new ControlClient(sock, null).request("two", Duration.ofSeconds(60)));
      await().atMost(Duration.ofSeconds(30)).until(() -> queuedOrRefused(server, sock));

      release.countDown();

      assertThat(first.get(30, TimeUnit.SECONDS).fields()).containsEntry("echo", "one");
      assertThat(queued.get(30, TimeUnit.SECONDS).fields()).containsEntry("echo", "two");
      assertThat(server.refused()).isPositive();
    } finally {
      release.countDown();
      clients.shutdownNow();
    }
  }

  /** Sends a third request while one runs and one waits: it must be answered busy at once. */
  private static boolean queuedOrRefused(ControlServer server, Path sock) throws Exception {
    ControlProtocol third = new ControlClient(sock, null).request("three", Duration.ofSeconds(5));
    return !third.ok()
        && third.error().equals("the daemon is busy with other control requests; try again");
  }

  @Test
  void clientSendsNothingToASocketServedByAnotherUser() throws Exception {
    Path sock = tmp.resolve("jobhost.sock");
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ControlServer server =
        ControlServer.open(
            sock,
            r -> {
              asked.incrementAndGet();
              return ControlProtocol.ok(Map.of());
            },
            Set.of(me()))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  new ControlClient(server.path(), "somebody-else")
                      .request("stop", Duration.ofSeconds(5)))
          .isInstanceOf(java.io.IOException.class)
          .hasMessage(
              "the control socket "
                  + sock
                  + " is served by user "
                  + me()
                  + ", not by somebody-else; nothing was sent (a link planted there leads elsewhere)");
      assertThat(
              new ControlClient(server.path(), me()).request("status", Duration.ofSeconds(5)).ok())
          .isTrue();
      assertThat(asked).hasValue(1);
    }
  }

  @Test
  void tooLongSocketPathIsRefusedWithTheFix() {
    Path sock = tmp.resolve("x".repeat(120)).resolve("jobhost.sock");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ControlServer.open(sock, r -> ControlProtocol.ok(Map.of()), Set.of()))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("set run_dir to a shorter directory");
  }
}
