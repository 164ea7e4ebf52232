package org.jobhost.host.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import org.jobhost.host.config.Config;

/**
 * Where a detached daemon's stdout and stderr go: {@code <log_dir>/jobhost.out}. Opened by the
 * {@code start} command, which may be root while {@code log_dir} belongs to the service user. Then
 * the directory is first claimed for that user, and the file is opened with {@code O_NOFOLLOW |
 * O_NONBLOCK} and checked with {@code fstat} (a regular file with one link, owned by the service
 * user or just created by root and then handed over), so a planted symbolic link, hard link or FIFO
 * makes root append to nothing but refuse the start. The child gets the very same open file through
 * {@code /proc/self/fd/N}. Not thread-safe; one use per start.
 *
 * @param path the path to hand to the child (the file itself, or {@code /proc/self/fd/N})
 * @param posix the native access that opened {@code fd}, or {@code null} when {@code fd} is -1
 * @param fd the descriptor this process holds open for the child, or -1 when the child opens the
 *     file itself
 */
record OutFile(Path path, POSIX posix, int fd) implements AutoCloseable {

  /** Its size now. */
  long size() throws IOException {
    return Files.exists(path) ? Files.size(path) : 0;
  }

  /**
   * Opens {@code file}; safely when this process is root and a {@code user} is set.
   *
   * @throws ServiceException when the file is not a plain file jobhost may write as that user
   */
  static OutFile open(Config config, Path file, Supplier<POSIX> nativeAccess) throws IOException {
    String user = config.service().user();
    if (user == null || UserSwitch.processUid() != 0) {
      return new OutFile(file, null, -1);
    }
    POSIX posix = nativeAccess.get();
    if (posix == null) {
      throw new ServiceException(
          "native POSIX access (jnr-posix) is unavailable, and a start by root needs it to hand"
              + " the daemon's directories to user "
              + user
              + "; start through bin/jobhost");
    }
    UserSwitch sw = new UserSwitch(posix);
    UserSwitch.Identity id = sw.resolve(user, config.service().group(), config.describeFile());
    if (id.uid() == 0) {
      return new OutFile(file, null, -1);
    }
    sw.claimDirectories(config, id);
    int flags =
        OpenFlags.O_WRONLY.intValue()
            | OpenFlags.O_CREAT.intValue()
            | OpenFlags.O_APPEND.intValue()
            | OpenFlags.O_NOFOLLOW.intValue()
            | OpenFlags.O_NONBLOCK.intValue();
    int fd = posix.open(file.toString(), flags, 0640);
    if (fd < 0) {
      throw new ServiceException(
          "cannot open "
              + file
              + " (errno "
              + posix.errno()
              + "; a symbolic link there is refused); remove it so that 'jobhost start' can"
              + " create it");
    }
    FileStat st = posix.fstat(fd);
    if (!st.isFile() || st.nlink() != 1 || (st.uid() != id.uid() && st.uid() != 0)) {
      posix.close(fd);
      throw new ServiceException(
          file
              + " is not a plain file of user "
              + user
              + " (a FIFO, device, hard link or another user's file); remove it so that 'jobhost"
              + " start' can create it");
    }
    if (st.uid() == 0 && posix.fchown(fd, id.uid(), id.gid()) != 0) {
      posix.close(fd);
      throw new ServiceException("cannot hand " + file + " to user " + user);
    }
    return new OutFile(Path.of("/proc/self/fd/" + fd), posix, fd);
  }

  @Override
  public void close() {
    if (fd >= 0) {
      posix.close(fd);
    }
  }
}
