package org.jobhost.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jobhost.reliability.support.HostDir;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State and log directories on a small disk made by the test (a tmpfs that fills up; an ext4 loop
 * image that turns read-only) while jobs run (the spool itself stays on the normal disk): no job is
 * lost, the error is clear, and the host recovers when space returns. Skipped, with the reason,
 * where {@code mount} is not permitted.
 */
class DiskIT {

  private static final String JOB =
      "{\"type\": \"command\", \"params\": {\"shell\": \"seq 1 200\"}}";

  @TempDir Path dir;
  private Path disk;

  @BeforeEach
  void mountSmallDisk() throws IOException {
    disk = Files.createDirectories(dir.resolve("disk"));
    Cli m =
        Cli.run(
            List.of("mount", "-t", "tmpfs", "-o", "size=16m", "reliability-disk", disk.toString()),
            Map.of(),
            30);
    Assumptions.assumeTrue(
        m.code() == 0,
        "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): " + m.all().trim());
  }

  @AfterEach
  void unmount() {
    Cli.run(List.of("umount", "-l", disk.toString()), Map.of(), 30);
  }

  private HostDir host() throws IOException {
    return HostDir.write(
        dir,
        Files.createDirectories(disk.resolve("var")),
        Files.createDirectories(disk.resolve("logs")),
        "max_workers = 4",
        "");
  }

  @Test
  void aFullStateAndLogDiskLosesNoJobSaysSoAndRecoversWhenSpaceReturns() throws Exception {
    HostDir host = host();
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      for (int i = 0; i < 20; i++) {
        host.drop("before-" + i + ".json", JOB);
      }
      await().atMost(Duration.ofMinutes(2)).until(() -> host.files("done").size() == 20);

      Path filler = disk.resolve("filler");
      fill(filler);
      for (int i = 0; i < 20; i++) {
        host.drop("full-" + i + ".json", JOB);
      }
      await("every file while full ends in done/ or failed/")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .failFast("the daemon exited", () -> !d.isAlive())
          .until(() -> host.files("done").size() + host.files("failed").size() == 40);
      String whileFull = d.log();

      Files.delete(filler);
      for (int i = 0; i < 20; i++) {
        host.drop("after-" + i + ".json", JOB);
      }
      await("every file after space returned is done")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> host.files("done").containsAll(names("after-", 20)));
      // The worklog keeps the rows it could not write and retries them (backoff at most 30 s).
      long[] seen = {0};
      await("the worklog writes the runs it kept while the disk was full")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .failFast("the daemon exited", () -> !d.isAlive())
          .until(() -> (seen[0] = worklogRuns(d)) >= 60);
      long runs = seen[0];
      Report.append(
          "disk.txt",
          "full: done="
              + host.files("done").size()
              + " failed="
              + host.files("failed")
              + " worklog_runs="
              + runs
              + " of 60, no_space_logged="
              + (whileFull.contains("No space left on device")
                  || whileFull.contains("disk is full")
                  || whileFull.contains("SQLITE_FULL")));
      assertThat(d.isAlive()).isTrue();
      assertThat(host.files("active")).isEmpty();
      assertThat(host.files("incoming")).isEmpty();
      for (String f : host.files("failed")) {
        String stem = f.substring(0, f.length() - ".json".length());
        assertThat(host.read("failed/" + stem + ".error"))
            .as("a job that failed for the full disk says so")
            .containsIgnoringCase("space");
      }
    }
  }

  /**
   * A state and log disk that turns read-only under the running daemon, the way a failing disk
   * does: ext4 with {@code errors=remount-ro} on a loop device, told to take an error through its
   * {@code trigger_fs_error} file (a plain {@code mount -o remount,ro} is refused with EBUSY while
   * files are open for writing). The filesystem stays read-only until it is unmounted and checked,
   * so recovery is the operator's: stop, {@code e2fsck}, mount, start again.
   */
  @Test
  void aStateDiskTurnedReadOnlyLosesNoJobKeepsTheDaemonUpAndRecoversAfterARepair()
      throws Exception {
    Path image = dir.resolve("ext4.img");
    Path mnt = Files.createDirectories(dir.resolve("ext4"));
    Cli made = Cli.run(List.of("truncate", "-s", "48M", image.toString()), Map.of(), 30);
    Cli fs = Cli.run(List.of("mkfs.ext4", "-q", "-F", image.toString()), Map.of(), 60);
    Assumptions.assumeTrue(made.code() == 0 && fs.code() == 0, "no mkfs.ext4: " + fs.all());
    Cli m = mountExt4(image, mnt);
    Assumptions.assumeTrue(m.code() == 0, "cannot mount a loop device here: " + m.all().trim());
    try {
      String device =
          Cli.run(List.of("findmnt", "-n", "-o", "SOURCE", mnt.toString()), Map.of(), 30)
              .out()
              .trim();
      Path trigger =
          Path.of("/sys/fs/ext4", Path.of(device).getFileName().toString(), "trigger_fs_error");
      Assumptions.assumeTrue(Files.exists(trigger), "this kernel has no " + trigger);
      HostDir host =
          HostDir.write(
              dir,
              Files.createDirectories(mnt.resolve("var")),
              Files.createDirectories(mnt.resolve("logs")),
              "max_workers = 4",
              "");
      String whileReadOnly;
      try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
        for (int i = 0; i < 10; i++) {
          host.drop("before-" + i + ".json", JOB);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> host.files("done").size() == 10);

        Files.writeString(trigger, "reliability: the state disk fails");
        assertThat(Files.isWritable(mnt.resolve("var")) && canCreate(mnt.resolve("var")))
            .as("the state disk is read-only now")
            .isFalse();
        for (int i = 0; i < 10; i++) {
          host.drop("ro-" + i + ".json", JOB);
        }
        await("every file while read-only ends in done/ or failed/")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250))
            .failFast("the daemon exited", () -> !d.isAlive())
            .until(() -> host.files("done").size() + host.files("failed").size() == 20);
        whileReadOnly = d.log();
        assertThat(d.isAlive()).isTrue();
        d.status();
        assertThat(host.files("active")).isEmpty();
        assertThat(host.files("incoming")).isEmpty();
        for (String f : host.files("failed")) {
          String stem = f.substring(0, f.length() - ".json".length());
          assertThat(host.read("failed/" + stem + ".error"))
              .as("a job that failed for the read-only disk says so")
              .containsIgnoringCase("read-only");
        }
        Report.append(
            "disk.txt",
            "read-only: done="
                + host.files("done").size()
                + " failed="
                + host.files("failed")
                + " read_only_logged="
                + whileReadOnly.contains("Read-only file system")
                + " daemon_alive=true first_error="
                + host.files("failed").stream()
                    .findFirst()
                    .map(f -> host.read("failed/" + f.replace(".json", ".error")).strip())
                    .orElse("-")
                    .replace('\n', ' '));
      }
      // The operator's repair: unmount, check, mount again, start.
      assertThat(Cli.run(List.of("umount", mnt.toString()), Map.of(), 60).code()).isZero();
      Cli fsck = Cli.run(List.of("e2fsck", "-f", "-y", image.toString()), Map.of(), 120);
      assertThat(fsck.code()).as(fsck.all()).isLessThanOrEqualTo(1);
      assertThat(mountExt4(image, mnt).code()).isZero();
      try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon-after.out"))) {
        for (int i = 0; i < 10; i++) {
          host.drop("after-" + i + ".json", JOB);
        }
        await("every file after the repair is done")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250))
            .failFast("the daemon exited", () -> !d.isAlive())
            .until(() -> host.files("done").containsAll(names("after-", 10)));
        // The worklog works again: the runs after the repair are recorded. Runs committed in the
        // last seconds before the failure may be gone with the aborted ext4 journal (SQLite's
        // synchronous=NORMAL leaves a commit in the page cache until the next checkpoint); that is
        // reported, not asserted: the jobs themselves are all in done/.
        long[] after = {0};
        await("the worklog records the runs after the repair")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> (after[0] = runsOf(d, "after-")) >= 10);
        Report.append(
            "disk.txt",
            "read-only: after repair worklog has after="
                + after[0]
                + " of 10, before="
                + runsOf(d, "before-")
                + " of 10");
      }
    } finally {
      Cli.run(List.of("umount", "-l", mnt.toString()), Map.of(), 30);
    }
  }

  private static long runsOf(HostProcess d, String prefix) {
    String out = d.cli("history", "--json", "--limit", "1000").out();
    return java.util.regex.Pattern.compile("\"job_id\"\\s*:\\s*\"" + prefix)
        .matcher(out)
        .results()
        .count();
  }

  private static Cli mountExt4(Path image, Path mnt) {
    return Cli.run(
        List.of("mount", "-o", "loop,errors=remount-ro", image.toString(), mnt.toString()),
        Map.of(),
        60);
  }

  private static boolean canCreate(Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long worklogRuns(HostProcess d) {
    Cli history = d.cli("history", "--json", "--limit", "1000");
    return history.out().split("\"job_id\"", -1).length - 1L;
  }

  private static void fill(Path filler) {
    byte[] block = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // The disk is full: what this test wants.
    }
  }

  private static List<String> names(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i + ".json").toList();
  }
}
