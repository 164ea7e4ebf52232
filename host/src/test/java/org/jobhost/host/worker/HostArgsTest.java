package org.jobhost.host.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostArgsTest {

  @Test
  void aRelativeFileIsPassedOnAbsoluteAndNormalised() {
    List<String> args = new HostArgs(Path.of("conf/../conf/jobhost.toml"), List.of()).toArgs();

    assertThat(args)
        .containsExactly(
            "--config", Path.of("conf/jobhost.toml").toAbsolutePath().normalize().toString());
  }

  @Test
  void overridesFollowTheFileInTheirOrder() {
    List<String> args =
        new HostArgs(Path.of("/etc/jobhost.toml"), List.of("max_workers=2", "user=jobs")).toArgs();

    assertThat(args)
        .containsExactly(
            "--config", "/etc/jobhost.toml", "--set", "max_workers=2", "--set", "user=jobs");
  }

  @Test
  void withoutAFileOnlyTheOverridesArePassed() {
    assertThat(new HostArgs(null, List.of("strict=true")).toArgs())
        .containsExactly("--set", "strict=true");
  }

  @Test
  void aWorkerReadsBackWhatTheHostWrote() {
    HostArgs sent = new HostArgs(Path.of("/etc/jobhost.toml"), List.of("a=1", "b=2"));

    assertThat(HostArgs.parse(sent.toArgs().toArray(new String[0]))).isEqualTo(sent);
  }
}
