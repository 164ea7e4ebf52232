package org.jobhost.host.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.jobhost.host.logging.LazyLog;

/**
 * The PID file, held under an exclusive lock ({@link FileChannel#tryLock}, an fcntl lock) for the
 * whole life of the daemon. The lock, not the number in the file, says whether jobhost runs: a
 * stale file is taken over, and a pid that was reused by another program does not count.
 *
 * <p>The pid is written with one {@code write} after the lock is taken, so a reader that finds the
 * file locked but empty knows the daemon is still starting. Never open the file a second time in
 * the daemon's process: closing any descriptor of it would release the fcntl lock. Thread-safe.
 */
public final class PidFile implements AutoCloseable {

  private static final LazyLog log = new LazyLog(PidFile.class);

  /** What a look at the PID file found. Immutable. */
  public enum State {
    /** No PID file. */
    ABSENT,
    /** A PID file that no live process holds locked: jobhost died without cleaning up. */
    STALE,
    /** A PID file held locked by a live jobhost. */
    RUNNING
  }

  /**
   * The result of {@link #inspect}. Immutable; thread-safe.
   *
   * @param state absent, stale or running
   * @param pid the pid in the file, or -1 when it has none (yet)
   * @param file the PID file
   */
  public record Status(State state, long pid, Path file) {

    /** When the process {@link #pid} started, if it is alive. */
    public Optional<Instant> startedAt() {
      return pid <= 0
          ? Optional.empty()
          : ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    }

    /** The operator message for a refused second start. */
    public String alreadyRunning() {
      return "jobhost is already running (pid "
          + (pid > 0 ? Long.toString(pid) : "unknown")
          + startedAt().map(t -> ", started " + local(t)).orElse("")
          + "); PID file "
          + file;
    }
  }

  /**
   * {@code t} in this machine's time zone, to the second. Made on use: the time-zone rules take a
   * few tens of milliseconds to load, which a {@code status} need not pay.
   */
  private static String local(Instant t) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(ZoneId.systemDefault())
        .format(t);
  }

  private final Path file;

  /** The lock, which also holds the file's channel ({@link FileLock#channel()}). */
  private final FileLock lock;

  private PidFile(Path file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  /**
   * Creates (or takes over) the PID file, locks it and writes this process's pid.
   *
   * @throws ServiceException when another live process holds it, or it cannot be written
   */
  public static PidFile acquire(Path file, long pid) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new ServiceException(
          "cannot create the directory of the PID file "
              + file
              + ": "
              + e.getMessage()
              + "; create it or set pid_file to a writable place",
          e);
    }
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        long other = readPid(ch);
        ch.close();
        throw new ServiceException(new Status(State.RUNNING, other, file).alreadyRunning());
      }
      long old = readPid(ch);
      if (old > 0 && old != pid) {
        boolean alive = ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false);
        log.get()
            .warn(
                "taking over the stale PID file {}: pid {} {}",
                file,
                old,
                alive
                    ? "is alive but does not hold the lock, so it is another program"
                    : "is not running");
      }
      ch.truncate(0);
      ByteBuffer content = ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII));
      ch.write(content, 0);
      ch.force(true);
      return new PidFile(file, lock);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new ServiceException(
          "cannot write the PID file "
              + file
              + ": "
              + e.getMessage()
              + "; make its directory writable for the daemon's user or set pid_file",
          e);
    }
  }

  /**
   * Looks at a PID file without disturbing its owner: a shared lock attempt tells whether a live
   * process holds it.
   */
  public static Status inspect(Path file) {
    // The file may lie where the service user can write: never follow a link, and never open
    // a FIFO or device (which could block or act) in a command run by root.
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ServiceException(
          "the PID file "
              + file
              + " is not a regular file (a link, FIFO or device); remove it, then run the"
              + " command again");
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long pid = readPid(ch);
      FileLock probe;
      try {
        probe = ch.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        return new Status(State.RUNNING, pid, file);
      }
      if (probe == null) {
        return new Status(State.RUNNING, pid, file);
      }
      probe.release();
      return new Status(State.STALE, pid, file);
    } catch (NoSuchFileException e) {
      return new Status(State.ABSENT, -1, file);
    } catch (IOException e) {
      throw new ServiceException(
          "cannot read the PID file " + file + ": " + e.getMessage() + "; check its permissions",
          e);
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Removes the file and releases the lock (in that order, so no one sees it unlocked). */
  @Override
  public synchronized void close() {
    FileChannel channel = lock.channel();
    if (!channel.isOpen()) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.get().warn("cannot remove the PID file {}: {}", file, e.toString());
    }
    try {
      lock.release();
    } catch (IOException e) {
      log.get().debug("releasing the PID lock: {}", e.toString());
    }
    closeQuietly(channel);
  }

  private static long readPid(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    ch.read(buf, 0);
    String s = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    try {
      return s.isEmpty() ? -1 : Long.parseLong(s.lines().findFirst().orElse("").trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        log.get().debug("closing: {}", e.toString());
      }
    }
  }
}
