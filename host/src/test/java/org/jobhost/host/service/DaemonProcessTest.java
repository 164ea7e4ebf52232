package org.jobhost.host.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonProcessTest {

  @TempDir Path tmp;

  private static final long DEV = 0xfe00; // major fe, minor 00

  @Test
  void lockHolderIsThePosixWriterOfTheInodeOnThatDevice() {
    List<String> locks =
        List.of(
            "1: FLOCK  ADVISORY  WRITE 15203 fe:00:2155333 0 EOF",
            "2: POSIX  ADVISORY  READ 300 fe:00:77 0 EOF",
            "3: POSIX  ADVISORY  WRITE 4711 fe:00:77 0 EOF",
            "3: -> POSIX  ADVISORY  WRITE 999 fe:00:77 0 EOF",
            "4: POSIX  ADVISORY  WRITE 12 08:01:77 0 EOF");

    assertThat(DaemonProcess.lockHolder(locks, 77, DEV)).hasValue(4711);
  }

  @Test
  void noLockOnTheInodeMeansNoHolder() {
    List<String> locks = List.of("1: POSIX  ADVISORY  WRITE 4711 fe:00:78 0 EOF");

    assertThat(DaemonProcess.lockHolder(locks, 77, DEV)).isEmpty();
  }

  @Test
  void theInodeAloneCountsOnlyWhenOneLockMatchesIt() {
    assertThat(
            DaemonProcess.lockHolder(
                List.of("1: POSIX  ADVISORY  WRITE 4711 00:2f:77 0 EOF"), 77, DEV))
        .hasValue(4711);
    assertThat(
            DaemonProcess.lockHolder(
                List.of(
                    "1: POSIX  ADVISORY  WRITE 4711 00:2f:77 0 EOF",
                    "2: POSIX  ADVISORY  WRITE 4712 00:30:77 0 EOF"),
                77,
                DEV))
        .isEmpty();
  }

  @Test
  void aLockHolderThatIsNotAJobhostDaemonIsRefusedWhateverTheFileSays() throws Exception {
    Path pidFile = tmp.resolve("jobhost.pid");
    Files.writeString(pidFile, "1\n");
    int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    try (FileChannel ch = FileChannel.open(pidFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock();
      assertThat(lock.isValid()).isTrue();
      assertThatThrownBy(() -> DaemonProcess.verify(pidFile, Set.of(me)))
          .isInstanceOf(ServiceException.class)
          .hasMessageStartingWith("refusing to signal anything: the PID file " + pidFile)
          .hasMessageContaining(
              "its lock holder, pid "
                  + ProcessHandle.current().pid()
                  + ", is not a jobhost daemon running as uid "
                  + me);
    }
  }

  @Test
  void anUnlockedFileHasNoHolderToSignal() throws Exception {
    Path pidFile = tmp.resolve("jobhost.pid");
    Files.writeString(pidFile, "-1\n");

    assertThatThrownBy(() -> DaemonProcess.verify(pidFile, Set.of(0)))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("the kernel reports no process holding its lock");
  }

  @Test
  void aProcessIsGoneWhenItsPidIsReusedOrAbsent() {
    long self = ProcessHandle.current().pid();
    long start = DaemonProcess.startTicks(self).orElseThrow();

    assertThat(new DaemonProcess(self, 0, start).gone()).isFalse();
    assertThat(new DaemonProcess(self, 0, start + 1).gone()).isTrue();
    assertThat(new DaemonProcess(DaemonProcess.pidMax() + 1, 0, start).gone()).isTrue();
    assertThat(DaemonProcess.expectedUids(tmp, OptionalLong.of(4242))).contains(4242);
  }
}
