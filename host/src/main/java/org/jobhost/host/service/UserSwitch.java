package org.jobhost.host.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;
import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.Passwd;
import org.jobhost.host.config.Config;
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

  /**
   * This process's effective uid as {@code /proc/self} shows it, with no native call (loading
   * native access costs a few hundred milliseconds a plain start should not pay), or -1 when it
   * cannot be read.
   */
  public static int processUid() {
    try {
      return (Integer)
          Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | ClassCastException e) {
      return -1;
    }
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
  }

  /**
   * Creates {@code dir} when missing and hands it to {@code to}, but only if it is dedicated to
   * jobhost: created now, empty (or holding only names jobhost itself writes there), or already
   * owned by {@code to}. Inside it, entries root owns that are plain directories or regular files
   * with one link are handed over too (all levels when {@code deep}); the walk never follows a
   * symbolic link. Run as root, before the switch.
   *
   * @param key the setting that names {@code dir}, for the message
   * @throws ServiceException when {@code dir} is shared (such as /var/log or /run), naming it and
   *     the fix
   */
  public void claim(String key, Path dir, Identity to, boolean deep) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    boolean created = false;
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(abs);
      created = true;
    }
    Path real = abs.toRealPath();
    if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new ServiceException(key + " " + abs + " is not a directory; set " + key + " to one");
    }
    int owner = ownerUid(real);
    if (owner != to.uid()) {
      List<String> foreign = created ? List.of() : foreignEntries(real);
      if (!foreign.isEmpty()) {
        throw new ServiceException(
            key
                + " "
                + real
                + " is not dedicated to jobhost (owned by uid "
                + owner
                + ", holds "
                + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                + (foreign.size() > 3 ? ", ..." : "")
                + "), so it is not handed to user "
                + to.user()
                + "; set "
                + (key.startsWith("pid_file")
                    ? "pid_file to a file in a directory of its own (such as "
                        + real.resolve("jobhost").resolve("jobhost.pid")
                    : key + " to a directory of its own (such as " + real.resolve("jobhost"))
                + "), or chown that directory to "
                + to.user()
                + " yourself if it is meant for jobhost");
      }
      chown(real, to);
      log.info("{} {}: handed to user {}", key, real, to.user());
    }
    try (Stream<Path> entries = deep ? Files.walk(real) : Files.list(real)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!p.equals(real) && handable(p)) {
          chown(p, to);
        }
      }
    }
  }

  /**
   * {@link #claim}s every directory the daemon writes: log_dir, state_dir (all levels), run_dir and
   * the PID file's directory.
   *
   * @throws ServiceException naming the first directory that is not jobhost's
   */
  public void claimDirectories(Config config, Identity to) {
    try {
      claim("log_dir", config.dirs().logs(), to, false);
      claim("state_dir", config.dirs().state(), to, true);
      claim("run_dir", config.dirs().run(), to, false);
      Path pidDir = config.service().pidFile().toAbsolutePath().normalize().getParent();
      if (!pidDir.equals(config.dirs().run().toAbsolutePath().normalize())) {
        claim("pid_file's directory", pidDir, to, false);
      }
    } catch (IOException e) {
      throw new ServiceException(
          "cannot hand log_dir, state_dir and run_dir to user "
              + to.user()
              + ": "
              + e
              + "; chown them to "
              + to.user()
              + " yourself",
          e);
    }
  }

  /** The entries of {@code dir} that jobhost did not put there (at most a few are named). */
  private static List<String> foreignEntries(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> !OWN_NAMES.matcher(n).matches())
          .sorted()
          .limit(4)
          .toList();
    }
  }

  /** Names jobhost writes in its own directories (logs, PID file, socket, state, archive). */
  private static final Pattern OWN_NAMES =
      Pattern.compile("\\.keep|jobhost[.-].*|jobs\\..*|process-groups.*|cds");

  /** Root-owned, not a link, and a directory or a regular file with one name. */
  private static boolean handable(Path p) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(p, "unix:uid,nlink,mode", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    boolean dir = (mode & 0170000) == 0040000;
    boolean file = (mode & 0170000) == 0100000;
    return (Integer) a.get("uid") == 0 && (dir || (file && (Integer) a.get("nlink") == 1));
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
