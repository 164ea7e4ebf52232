package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

  @TempDir Path tmp;

  @Test
  void acquiredFileHoldsThePidAndReadsAsRunning() throws Exception {
    Path file = tmp.resolve("run/jobhost.pid");
    try (PidFile pid = PidFile.acquire(file, 4242)) {
      assertThat(Files.readString(pid.file())).isEqualTo("4242\n");
      PidFile.Status s = PidFile.inspect(file);
      assertThat(s.state()).isEqualTo(PidFile.State.RUNNING);
      assertThat(s.pid()).isEqualTo(4242);
    }
  }

  @Test
  void secondAcquireIsRefusedNamingThePid() {
    Path file = tmp.resolve("jobhost.pid");
    try (PidFile first = PidFile.acquire(file, 4242)) {
      assertThat(first.file()).isEqualTo(file);
      assertThatThrownBy(() -> PidFile.acquire(file, 4343))
          .isInstanceOf(ServiceException.class)
          .hasMessageStartingWith("jobhost is already running (pid 4242")
          .hasMessageEndingWith("); PID file " + file);
    }
  }

  @Test
  void alreadyRunningMessageNamesTheStartTimeOfALiveProcess() {
    long me = ProcessHandle.current().pid();
    PidFile.Status s = new PidFile.Status(PidFile.State.RUNNING, me, tmp.resolve("x.pid"));

    assertThat(s.alreadyRunning())
        .matches(
            "jobhost is already running \\(pid "
                + me
                + ", started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\); PID file .*");
  }

  @Test
  void closeRemovesTheFile() {
    Path file = tmp.resolve("jobhost.pid");
    PidFile.acquire(file, 4242).close();

    assertThat(file).doesNotExist();
    assertThat(PidFile.inspect(file).state()).isEqualTo(PidFile.State.ABSENT);
  }

  @Test
  void unlockedFileIsStaleAndTakenOver() throws Exception {
    Path file = tmp.resolve("jobhost.pid");
    Files.writeString(file, "999999\n");

    PidFile.Status s = PidFile.inspect(file);
    assertThat(s.state()).isEqualTo(PidFile.State.STALE);
    assertThat(s.pid()).isEqualTo(999999);
    try (PidFile pid = PidFile.acquire(file, 4242)) {
      assertThat(Files.readString(pid.file())).isEqualTo("4242\n");
    }
  }

  @Test
  void unreadableDirectoryIsNamedWithTheFix() throws Exception {
    Path blocker = tmp.resolve("blocker");
    Files.writeString(blocker, "a file");

    assertThatThrownBy(() -> PidFile.acquire(blocker.resolve("jobhost.pid"), 1))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("cannot create the directory of the PID file " + blocker)
        .hasMessageContaining("set pid_file to a writable place");
  }
}
