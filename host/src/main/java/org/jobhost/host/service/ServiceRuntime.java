package org.jobhost.host.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import jnr.posix.POSIX;
import org.jobhost.api.Stats;
import org.jobhost.host.config.Config;
import org.jobhost.host.control.ControlProtocol;
import org.jobhost.host.control.ControlRequests;
import org.jobhost.host.control.DaemonControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running as a service: composes the {@link PidFile} lock, the {@link ControlServer}, the {@link
 * UserSwitch} and the {@link SystemdNotifier} around the daemon's life. Built by {@code Main} with
 * everything it needs; called by the daemon at the {@link ServiceHooks} points. Thread-safe.
 */
public final class ServiceRuntime implements ServiceHooks {

  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  /**
   * How the daemon was started. Immutable; thread-safe.
   *
   * @param detached started by {@code jobhost start} (or {@code run -d}) in a new session
   * @param environment the process environment (NOTIFY_SOCKET, WATCHDOG_USEC)
   */
  public record Options(boolean detached, Map<String, String> environment) {
    /** Copies. */
    public Options {
      environment = Map.copyOf(environment);
    }
  }

  private final Options options;
  private final Supplier<POSIX> nativeAccess;
  private volatile POSIX posix;
  private final long pid = ProcessHandle.current().pid();
  private volatile DaemonControl control;
  private volatile PidFile pidFile;
  private volatile ControlServer server;
  private volatile SystemdNotifier notifier;
  private volatile String user = "(unchanged)";
  private volatile UserSwitch.Identity switched;

  /**
   * @param options how the daemon was started
   * @param nativeAccess native POSIX access, or {@code null} when unavailable; called once, in
   *     {@link #starting}, so that building this object costs nothing before the daemon's signal
   *     handlers are in
   */
  public ServiceRuntime(Options options, Supplier<POSIX> nativeAccess) {
    this.options = options;
    this.nativeAccess = nativeAccess;
  }

  @Override
  public void starting(Config config, DaemonControl control) {
    try {
      start(config, control);
    } catch (ServiceException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new ServiceException("the service set-up failed: " + e, e);
    }
  }

  private void start(Config config, DaemonControl control) {
    this.control = control;
    prepare(config);
    if (options.detached()) {
      posix().umask(0027);
    }
    notifier = SystemdNotifier.fromEnvironment(options.environment(), pid);
    pidFile = PidFile.acquire(config.service().pidFile(), pid);
    String me = currentUser();
    server =
        ControlServer.open(
            config.dirs().run().resolve(ControlProtocol.SOCKET_NAME), this::answer, users(me));
    user = me;
    switchUser(config);
    if (notifier != null) {
      notifier.send("STATUS=starting: loading plugins");
      Duration ping = notifier.watchdogInterval();
      if (!ping.isZero()) {
        log.info("systemd watchdog: pinging every {} ms", ping.toMillis());
        if (config.timeouts().idle().compareTo(ping) >= 0) {
          log.warn(
              "idle_time ({} ms) is not shorter than half of WatchdogSec ({} ms): an idle"
                  + " dispatcher would miss watchdog pings; lower idle_time or raise WatchdogSec",
              config.timeouts().idle().toMillis(),
              ping.toMillis());
        }
      }
    }
  }

  /**
   * Started as root with a {@code user}: hands the directories dedicated to jobhost to that user
   * and switches to it for good, so that everything the daemon opens afterwards (log files, PID
   * file, control socket) is opened as the service user and root never acts inside a directory that
   * user can write. The daemon calls this before it configures its logging; {@link #starting} calls
   * it again (then it does nothing). Does nothing when not root or no user is set.
   *
   * @throws ServiceException when a directory is not jobhost's, the user is unknown or the switch
   *     fails
   */
  @Override
  public synchronized void prepare(Config config) {
    String wanted = config.service().user();
    if (switched != null || wanted == null || UserSwitch.processUid() != 0) {
      return;
    }
    UserSwitch sw = new UserSwitch(posix());
    UserSwitch.Identity id = sw.resolve(wanted, config.service().group(), config.describeFile());
    if (id.uid() == 0 && !config.service().allowRoot()) {
      throw new ServiceException(
          "user = \""
              + wanted
              + "\" is root; choose an unprivileged user in "
              + config.describeFile()
              + " or set allow_root = true");
    }
    if (options.detached()) {
      posix().umask(0027);
    }
    if (id.uid() != 0) {
      sw.claimDirectories(config, id);
    }
    sw.become(id);
    user = id.user();
    switched = id;
  }

  /**
   * Native POSIX access, loaded on first need (a detached start's umask, a user switch): loading it
   * costs a few hundred milliseconds that a plain start should not pay.
   */
  private POSIX posix() {
    POSIX p = posix;
    if (p == null) {
      p = nativeAccess.get();
      if (p == null) {
        throw new ServiceException(
            "native POSIX access (jnr-posix) is unavailable, and a service needs it for the user"
                + " switch and signals; start it through bin/jobhost (which passes"
                + " --enable-native-access=ALL-UNNAMED where the JDK asks for it) on a Linux or"
                + " other POSIX system");
      }
      posix = p;
    }
    return p;
  }

  private void switchUser(Config config) {
    String wanted = config.service().user();
    boolean serviceMode = options.detached() || notifier != null;
    if (wanted == null) {
      int uid = UserSwitch.processUid();
      if (uid == 0 || (uid < 0 && new UserSwitch(posix()).isRoot())) {
        if (config.service().allowRoot()) {
          log.warn("running as root: allow_root = true and no user is set");
        } else if (serviceMode) {
          throw new ServiceException(
              "refusing to run plugins as root; set user = \"jobhost\" (or --user NAME) in "
                  + config.describeFile()
                  + ", or allow_root = true to accept it");
        } else {
          log.warn(
              "running in the foreground as root; set user = \"...\" (or allow_root = true) in {}",
              config.describeFile());
        }
      }
      return;
    }
    UserSwitch.Identity id = switched;
    if (id != null) {
      // logged here, once the daemon's log file is set up
      log.info(
          "running as user {} (uid {}) and group {} (gid {})",
          id.user(),
          id.uid(),
          id.group(),
          id.gid());
      return;
    }
    if (!wanted.equals(user)) {
      log.warn(
          "user = {} is set but jobhost was started as {}, not root; it keeps running as {}",
          wanted,
          user,
          user);
    }
  }

  private static Set<String> users(String me) {
    return new java.util.TreeSet<>(java.util.List.of("root", me));
  }

  private String currentUser() {
    try {
      return Files.getOwner(Path.of("/proc/self")).getName();
    } catch (IOException | UnsupportedOperationException e) {
      jnr.posix.Passwd pw = posix().getpwuid(posix().geteuid());
      return pw == null ? Integer.toString(posix().geteuid()) : pw.getLoginName();
    }
  }

  @Override
  public void ready() {
    SystemdNotifier n = notifier;
    if (n != null) {
      n.send("READY=1\nMAINPID=" + pid + "\nSTATUS=" + statusLine());
    }
  }

  @Override
  public void reloading() {
    SystemdNotifier n = notifier;
    if (n != null) {
      n.reloading();
    }
  }

  @Override
  public void reloaded(boolean applied, String detail) {
    SystemdNotifier n = notifier;
    if (n != null) {
      n.send(
          "READY=1\nSTATUS="
              + (applied ? "reload applied; " : "reload rejected; ")
              + ControlProtocol.oneLine(statusLine()));
    }
  }

  @Override
  public void loopTick() {
    SystemdNotifier n = notifier;
    if (n != null) {
      n.tick(this::statusLine);
    }
  }

  @Override
  public void stopping() {
    SystemdNotifier n = notifier;
    if (n != null) {
      n.send("STOPPING=1\nSTATUS=stopping");
    }
  }

  @Override
  public void stopped() {
    ControlServer s = server;
    if (s != null) {
      s.close();
    }
    PidFile p = pidFile;
    if (p != null) {
      p.close();
    }
    SystemdNotifier n = notifier;
    if (n != null) {
      n.close();
    }
  }

  private String statusLine() {
    DaemonControl c = control;
    if (c == null) {
      return "starting";
    }
    Stats s = c.host().stats();
    return s.lifecycle().name().toLowerCase(Locale.ROOT)
        + ": "
        + s.running()
        + "/"
        + s.maxWorkers()
        + " workers busy, "
        + s.completed()
        + " jobs done ("
        + s.failed()
        + " failed)";
  }

  @Override
  public Map<String, String> status() {
    DaemonControl c = control;
    return c == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(ControlRequests.status(c, pid, user));
  }

  /** Answers one control request. Runs on a control connection thread. */
  ControlProtocol answer(String request) {
    return ControlRequests.answer(control, pid, user, request);
  }
}
