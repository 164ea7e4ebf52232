package org.jobhost.host.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The running daemon as the kernel knows it, for commands that signal it (often run by root from
 * init scripts and logrotate). The PID file lives where the service user can write, so its content
 * is never trusted: the pid is the holder of the file's fcntl lock as {@code /proc/locks} reports
 * it (the kernel's F_GETLK view), it must lie in {@code 2..pid_max}, and {@code /proc/<pid>} must
 * be a jobhost daemon ({@code org.jobhost.host.Main run} in its command line) running as the
 * expected user. A process group or {@code -1} is never derived from it. Immutable; thread-safe.
 *
 * @param pid the verified pid
 * @param uid its user id
 * @param startTicks its start time ({@code /proc/<pid>/stat} field 22), to tell a reused pid
 */
public record DaemonProcess(long pid, int uid, long startTicks) {

  static final Path PROC = Path.of("/proc");
  static final String MAIN_CLASS = "org.jobhost.host.Main";

  /**
   * Finds and verifies the daemon holding {@code pidFile}'s lock.
   *
   * @param uids the uids the daemon may run as
   * @throws ServiceException naming what does not match, and that nothing was signalled
   */
  public static DaemonProcess verify(Path pidFile, Set<Integer> uids) {
    long ino;
    long dev;
    try {
      ino = (Long) Files.getAttribute(pidFile, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      dev = (Long) Files.getAttribute(pidFile, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw refused(pidFile, "it cannot be read (" + e.getMessage() + ")");
    }
    List<String> locks;
    try {
      locks = Files.readAllLines(PROC.resolve("locks"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw refused(pidFile, "/proc/locks cannot be read (" + e.getMessage() + ")");
    }
    OptionalLong holder = lockHolder(locks, ino, dev);
    if (holder.isEmpty()) {
      throw refused(pidFile, "the kernel reports no process holding its lock");
    }
    long pid = holder.getAsLong();
    long max = pidMax();
    if (pid < 2 || pid > max) {
      throw refused(pidFile, "its lock holder " + pid + " is outside 2.." + max);
    }
    return inspect(pid, uids)
        .orElseThrow(
            () ->
                refused(
                    pidFile,
                    "its lock holder, pid "
                        + pid
                        + ", is not a jobhost daemon running as uid "
                        + uids.stream().map(String::valueOf).collect(Collectors.joining(" or "))
                        + " ("
                        + MAIN_CLASS
                        + " run, by /proc/"
                        + pid
                        + ")"));
  }

  private static ServiceException refused(Path pidFile, String why) {
    return new ServiceException(
        "refusing to signal anything: the PID file "
            + pidFile
            + " is held, but "
            + why
            + "; find the daemon with 'ps -ef | grep "
            + MAIN_CLASS
            + "' and stop it by hand, then remove "
            + pidFile);
  }

  /**
   * The pid holding a POSIX write lock on the file {@code ino} of device {@code dev}, from the
   * lines of {@code /proc/locks} (such as {@code 1: POSIX ADVISORY WRITE 4711 fe:00:2155369 0
   * EOF}). Blocked waiters ({@code ->}) are not holders.
   */
  static OptionalLong lockHolder(List<String> procLocks, long ino, long dev) {
    String wanted = String.format("%02x:%02x:%d", major(dev), minor(dev), ino);
    String anyDevice = ":" + ino;
    OptionalLong sameInode = OptionalLong.empty();
    int sameInodeCount = 0;
    for (String line : procLocks) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6 || f[1].equals("->") || !f[1].equals("POSIX") || !f[3].equals("WRITE")) {
        continue;
      }
      long pid;
      try {
        pid = Long.parseLong(f[4]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (f[5].equals(wanted)) {
        return OptionalLong.of(pid);
      }
      if (f[5].endsWith(anyDevice)) {
        sameInode = OptionalLong.of(pid);
        sameInodeCount++;
      }
    }
    // Overlay file systems report another device in /proc/locks than in stat: accept the inode
    // alone when exactly one lock matches it (the holder is verified through /proc anyway).
    return sameInodeCount == 1 ? sameInode : OptionalLong.empty();
  }

  private static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
  }

  private static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
  }

  /** The kernel's pid_max (32768 when it cannot be read, the smallest it can be by default). */
  static long pidMax() {
    try {
      return Long.parseLong(
          Files.readAllLines(PROC.resolve("sys/kernel/pid_max"), StandardCharsets.US_ASCII)
              .get(0)
              .trim());
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  /**
   * {@code pid} as a daemon, if {@code /proc} shows a jobhost daemon running as one of {@code
   * uids}.
   */
  static Optional<DaemonProcess> inspect(long pid, Set<Integer> uids) {
    Path dir = PROC.resolve(Long.toString(pid));
    try {
      String[] argv =
          new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
              .split("\0");
      int main = Arrays.asList(argv).indexOf(MAIN_CLASS);
      if (main < 0 || main + 1 >= argv.length || !argv[main + 1].equals("run")) {
        return Optional.empty();
      }
      int uid = -1;
      for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          // real, effective, saved and file-system uid must all be the one expected
          String[] ids = line.substring(4).trim().split("\\s+");
          uid = Integer.parseInt(ids[0]);
          for (String id : ids) {
            if (Integer.parseInt(id) != uid) {
              return Optional.empty();
            }
          }
        }
      }
      if (!uids.contains(uid)) {
        return Optional.empty();
      }
      long start = startTicks(pid).orElse(-1);
      return start < 0 ? Optional.empty() : Optional.of(new DaemonProcess(pid, uid, start));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The start time of {@code pid}, if it runs and is not a zombie. */
  static OptionalLong startTicks(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state); field 22 (starttime) is f[19]
      if (f[0].equals("Z") || f[0].equals("X")) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Long.parseLong(f[19]));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether the process is gone: no longer in /proc, a zombie, or its pid reused. */
  public boolean gone() {
    OptionalLong now = startTicks(pid);
    return now.isEmpty() || now.getAsLong() != startTicks;
  }

  /**
   * The uids the daemon may run as: the configured user's, else the owner of the PID file (the
   * daemon creates it as itself); and the caller's own (whose processes it may signal anyway).
   *
   * @param uidOfUser the configured user's uid, or empty when no user is configured
   */
  public static Set<Integer> expectedUids(Path pidFile, OptionalLong uidOfUser) {
    Set<Integer> uids = new TreeSet<>();
    try {
      uids.add((Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid"));
      uids.add(
          uidOfUser.isPresent()
              ? (int) uidOfUser.getAsLong()
              : (Integer) Files.getAttribute(pidFile, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new ServiceException("cannot read the owner of " + pidFile + ": " + e.getMessage(), e);
    }
    return uids;
  }
}
