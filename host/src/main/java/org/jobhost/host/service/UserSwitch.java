package org.jobhost.host.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;
import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.Passwd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops root privileges to the configured {@code user}/{@code group}: chowns the directories the
 * daemon writes later, then {@code setgid}, {@code initgroups} (libc through jnr-ffi, since
 * jnr-posix has no {@code setgroups}) and {@code setuid}. glibc applies each call to every thread
 * of the JVM, and child processes inherit the new identity. Thread-safe (stateless).
 */
public final class UserSwitch {

  private static final Logger log = LoggerFactory.getLogger(UserSwitch.class);

  /**
   * A resolved user and group. Immutable; thread-safe.
   *
   * @param user the user name
   * @param uid its id
   * @param group the group name
   * @param gid its id
   */
  public record Identity(String user, int uid, String group, int gid) {}

  /** The libc calls jnr-posix lacks, bound by jnr-ffi. Thread-safe (libc is). */
  public interface LibC {
    /**
     * initgroups(3).
     *
     * @param user the user whose groups to set
     * @param group an extra group
     * @return 0 on success
     */
    int initgroups(String user, int group);
  }

  private final POSIX posix;

  /**
   * @param posix native POSIX access
   */
  public UserSwitch(POSIX posix) {
    this.posix = posix;
  }

  /**
   * Looks up the user and group.
   *
   * @param setting where the names came from, for messages
   * @throws ServiceException naming the unknown user or group
   */
  public Identity resolve(String user, String group, String setting) {
    Passwd pw = posix.getpwnam(user);
    if (pw == null) {
      throw new ServiceException(
          "user \""
              + user
              + "\" ("
              + setting
              + ") does not exist on this system; create it (adduser --system "
              + user
              + ") or set user to an existing account");
    }
    int gid = (int) pw.getGID();
    String groupName = group;
    if (group != null) {
      Group g = posix.getgrnam(group);
      if (g == null) {
        throw new ServiceException(
            "group \""
                + group
                + "\" ("
                + setting
                + ") does not exist on this system; create it or remove the group setting");
      }
      gid = (int) g.getGID();
    } else {
      Group g = posix.getgrgid(gid);
      groupName = g == null ? Integer.toString(gid) : g.getName();
    }
    return new Identity(pw.getLoginName(), (int) pw.getUID(), groupName, gid);
  }

  /** Whether this process runs as root. */
  public boolean isRoot() {
    return posix.geteuid() == 0;
  }

  /**
   * Switches this process to {@code to}, for good.
   *
   * @throws ServiceException when a call fails (the process must not carry on half-switched)
   */
  public void become(Identity to) {
    if (posix.setgid(to.gid()) != 0) {
      throw new ServiceException(
          "setgid(" + to.gid() + ") for group " + to.group() + " failed: errno " + posix.errno());
    }
    LibC libc = LibraryLoader.create(LibC.class).load("c");
    if (libc.initgroups(to.user(), to.gid()) != 0) {
      throw new ServiceException(
          "initgroups("
              + to.user()
              + ") failed: errno "
              + posix.errno()
              + "; the supplementary groups of root would stay");
    }
    if (posix.setuid(to.uid()) != 0) {
      throw new ServiceException(
          "setuid(" + to.uid() + ") for user " + to.user() + " failed: errno " + posix.errno());
    }
    if (posix.getuid() != to.uid() || posix.geteuid() != to.uid() || posix.setuid(0) == 0) {
      throw new ServiceException(
          "the switch to user " + to.user() + " did not hold; refusing to run with root rights");
    }
    log.info(
        "running as user {} (uid {}) and group {} (gid {})",
        to.user(),
        to.uid(),
        to.group(),
        to.gid());
  }

  /**
   * Hands {@code dir} and what root owns directly in it (recursively when {@code deep}) to {@code
   * to}, so the daemon can keep writing there after the switch.
   */
  public void handOver(Path dir, Identity to, boolean deep) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    chown(dir, to);
    try (Stream<Path> entries = deep ? Files.walk(dir) : Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!p.equals(dir) && ownerUid(p) == 0) {
          chown(p, to);
        }
      }
    }
  }

  private static int ownerUid(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  static void chown(Path p, Identity to) throws IOException {
    java.nio.file.attribute.UserPrincipalLookupService users =
        p.getFileSystem().getUserPrincipalLookupService();
    java.nio.file.attribute.PosixFileAttributeView view =
        Files.getFileAttributeView(
            p, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setOwner(users.lookupPrincipalByName(to.user()));
    view.setGroup(users.lookupPrincipalByGroupName(to.group()));
  }
}
