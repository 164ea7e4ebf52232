package org.jobhost.host.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's notify protocol ({@code sd_notify}) without native code of our own: one datagram per
 * message to {@code $NOTIFY_SOCKET} (a path, or an abstract socket written {@code @name}) through
 * jnr-unixsocket, sent from the JVM's own pid so that {@code NotifyAccess=main} accepts it.
 *
 * <p>{@code MONOTONIC_USEC} comes from {@link System#nanoTime()}, which HotSpot on Linux reads from
 * {@code clock_gettime(CLOCK_MONOTONIC)}, the clock systemd compares it with.
 *
 * <p>Thread-safe: sends are serialised; {@link #tick} is meant for one thread (the dispatcher) and
 * costs one {@code nanoTime} call when nothing is due.
 */
public final class SystemdNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

  /** How often STATUS= is refreshed when no watchdog asks more often. */
  static final Duration STATUS_EVERY = Duration.ofSeconds(10);

  private final UnixSocketAddress address;
  private final UnixDatagramChannel channel;
  private final long watchdogNanos;
  private final long tickNanos;
  private long lastTick = System.nanoTime();

  private SystemdNotifier(UnixSocketAddress address, UnixDatagramChannel channel, long watchdog) {
    this.address = address;
    this.channel = channel;
    this.watchdogNanos = watchdog;
    this.tickNanos = watchdog > 0 ? watchdog : STATUS_EVERY.toNanos();
  }

  /**
   * The notifier for this process's environment, or {@code null} when systemd did not ask for one
   * (no {@code NOTIFY_SOCKET}).
   *
   * @param env the process environment
   * @param pid this process's pid, to check {@code WATCHDOG_PID}
   */
  public static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return null;
    }
    long watchdog = 0;
    String usec = env.get("WATCHDOG_USEC");
    String wpid = env.get("WATCHDOG_PID");
    if (usec != null && (wpid == null || wpid.equals(Long.toString(pid)))) {
      try {
        watchdog = Long.parseLong(usec.trim()) * 1000 / 2;
      } catch (NumberFormatException e) {
        log.warn("ignoring WATCHDOG_USEC={}: not a number", usec);
      }
    }
    String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
    try {
      return new SystemdNotifier(new UnixSocketAddress(path), UnixDatagramChannel.open(), watchdog);
    } catch (IOException | RuntimeException | LinkageError e) {
      throw new ServiceException(
          "cannot open a datagram socket for NOTIFY_SOCKET="
              + socket
              + ": "
              + e
              + "; native access (jnr-unixsocket) is needed for Type=notify, or use Type=simple",
          e);
    }
  }

  /** The watchdog ping interval (half of WATCHDOG_USEC), or zero when there is no watchdog. */
  public Duration watchdogInterval() {
    return Duration.ofNanos(watchdogNanos);
  }

  /** Sends one message such as {@code READY=1\nSTATUS=...}; a failure is logged, not thrown. */
  public synchronized void send(String message) {
    try {
      channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), address);
      log.debug("sd_notify {}", message.replace('\n', ' '));
    } catch (IOException | RuntimeException e) {
      log.warn("cannot notify systemd ({}): {}", address.humanReadablePath(), e.toString());
    }
  }

  /** {@code RELOADING=1} with the monotonic time systemd wants beside it. */
  public void reloading() {
    send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros());
  }

  /**
   * Called on each dispatcher iteration: pings the watchdog (and refreshes STATUS=) when half the
   * watchdog time has passed, else does nothing.
   */
  public void tick(Supplier<String> status) {
    long now = System.nanoTime();
    if (now - lastTick < tickNanos) {
      return;
    }
    lastTick = now;
    send((watchdogNanos > 0 ? "WATCHDOG=1\n" : "") + "STATUS=" + status.get());
  }

  /** The CLOCK_MONOTONIC time in microseconds (HotSpot's nanoTime on Linux). */
  static long monotonicMicros() {
    return System.nanoTime() / 1000;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the notify socket: {}", e.toString());
    }
  }
}
