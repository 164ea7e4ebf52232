package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserSwitchTest {

  @TempDir Path tmp;

  /** Someone the directories do not belong to (nobody's ids on Debian). */
  private static final UserSwitch.Identity STRANGER =
      new UserSwitch.Identity("nobody", 65534, "nogroup", 65534);

  @Test
  void aSharedDirectoryIsNotHandedOverAndTheMessageNamesItAndTheFix() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("varlog"));
    Files.writeString(shared.resolve("syslog"), "x");
    Files.writeString(shared.resolve("jobhost.log"), "x");
    Object owner = Files.getAttribute(shared, "unix:uid");

    assertThatThrownBy(() -> new UserSwitch(null).claim("log_dir", shared, STRANGER, false))
        .isInstanceOf(ServiceException.class)
        .hasMessageStartingWith("log_dir " + shared + " is not dedicated to jobhost (owned by uid ")
        .hasMessageContaining("holds syslog), so it is not handed to user nobody")
        .hasMessageContaining(
            "set log_dir to a directory of its own (such as " + shared + "/jobhost)")
        .hasMessageContaining("or chown that directory to nobody yourself");
    assertThat(Files.getAttribute(shared, "unix:uid")).isEqualTo(owner);
  }

  @Test
  void aPidFileDirectoryThatIsSharedNamesPidFileAsTheSettingToChange() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve("sshd.pid"), "1");

    assertThatThrownBy(
            () -> new UserSwitch(null).claim("pid_file's directory", run, STRANGER, false))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining(
            "set pid_file to a file in a directory of its own (such as "
                + run.resolve("jobhost/jobhost.pid"));
  }

  @Test
  void aDirectoryHoldingOnlyWhatJobhostWritesCountsAsItsOwn() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "chown needs root");
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Files.writeString(logs.resolve(".keep"), "");
    Files.writeString(logs.resolve("jobhost.out"), "");
    Files.writeString(logs.resolve("jobs.log.1"), "");
    Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), "");
    Files.createSymbolicLink(logs.resolve("jobhost.log"), elsewhere);

    new UserSwitch(null).claim("log_dir", logs, STRANGER, false);

    assertThat(Files.getAttribute(logs, "unix:uid")).isEqualTo(65534);
    assertThat(Files.getAttribute(logs.resolve("jobhost.out"), "unix:uid")).isEqualTo(65534);
    assertThat(Files.getAttribute(elsewhere, "unix:uid")).isEqualTo(0);
  }

  @Test
  void aMissingDirectoryIsCreatedAndHandedOver() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "chown needs root");
    Path state = tmp.resolve("new/state");

    new UserSwitch(null).claim("state_dir", state, STRANGER, true);

    assertThat(Files.getAttribute(state, "unix:uid")).isEqualTo(65534);
  }
}
