package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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

      ControlProtocol a = new ControlClient(sock).request("resize 3", Duration.ofSeconds(5));

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
      ControlProtocol a = new ControlClient(server.path()).request("status", Duration.ofSeconds(5));

      assertThat(a.ok()).isFalse();
      assertThat(a.error())
          .isEqualTo(
              "user " + me() + " may not control this daemon; run the command as [somebody-else]");
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
