package org.jobhost.queue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.SqliteStore;

/**
 * The {@code [plugins.queue]} section, validated. Immutable.
 *
 * @param database where the {@code jobs} table lives
 * @param hostName this host's name in the {@code hosts} table and in {@code claimed_by}; unique in
 *     the cluster
 * @param heartbeatInterval how often this host beats and refreshes its jobs' heartbeats
 * @param deadAfter a host (and its jobs) whose heartbeat is older than this is declared dead
 * @param keepDone succeeded and cancelled jobs are deleted this long after they ended
 * @param listen whether to wake on {@code NOTIFY} (PostgreSQL)
 * @param prefetch jobs claimed beyond the free worker slots and kept for the next polls: fewer
 *     claim transactions at high throughput, but those jobs wait on this host (and a higher
 *     priority enqueued meanwhile waits behind them); 0 claims only what slots are free for
 */
record QueueSettings(
    DatabaseSettings database,
    String hostName,
    Duration heartbeatInterval,
    Duration deadAfter,
    Duration keepDone,
    boolean listen,
    int prefetch) {

  static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(30);
  static final Duration DEFAULT_KEEP_DONE = Duration.ofDays(1);

  static final Set<String> KEYS;

  static {
    Set<String> k =
        new HashSet<>(
            Set.of(
                "host_name",
                "heartbeat_interval",
                "dead_after",
                "keep_done",
                "listen",
                "prefetch"));
    k.addAll(DatabaseSettings.KEYS);
    KEYS = Set.copyOf(k);
  }

  /**
   * Reads and validates the section.
   *
   * @throws org.jobhost.api.SettingsException naming the key, where it is, and what to do
   */
  static QueueSettings parse(PluginSettings s, PluginContext context) {
    s.requireOnly(KEYS);
    DatabaseSettings db =
        DatabaseSettings.parse(
            s,
            context,
            context.stateDirectory().getParent().resolve(SqliteStore.DEFAULT_FILE_NAME));
    Duration beat = s.duration("heartbeat_interval", DEFAULT_HEARTBEAT_INTERVAL);
    Duration dead = s.duration("dead_after", DEFAULT_DEAD_AFTER);
    if (beat.isZero() || beat.isNegative()) {
      throw s.invalid("heartbeat_interval", "must be more than 0 (was " + beat + ")");
    }
    if (dead.compareTo(beat.multipliedBy(2)) < 0) {
      throw s.invalid(
          "dead_after",
          "must be at least twice heartbeat_interval (was "
              + dead.toMillis()
              + " ms, heartbeat_interval "
              + beat.toMillis()
              + " ms), or live hosts are declared dead");
    }
    return new QueueSettings(
        db,
        s.string("host_name").orElseGet(QueueSettings::defaultHostName),
        beat,
        dead,
        s.duration("keep_done", DEFAULT_KEEP_DONE),
        s.bool("listen", true),
        prefetch(s));
  }

  private static int prefetch(PluginSettings s) {
    long n = s.integer("prefetch", 0);
    if (n < 0 || n > 10_000) {
      throw s.invalid("prefetch", "must be between 0 and 10000 (was " + n + ")");
    }
    return (int) n;
  }

  /** {@code <machine>-<pid>}: unique even for several hosts on one machine. */
  static String defaultHostName() {
    String machine;
    try {
      machine = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      machine = "localhost";
    }
    return machine + "-" + ProcessHandle.current().pid();
  }

  /** This plugin's version, from its jar. */
  static String version() {
    try (InputStream in = QueueSettings.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The JVM's pid. */
  static long pid() {
    return ManagementFactory.getRuntimeMXBean().getPid();
  }
}
