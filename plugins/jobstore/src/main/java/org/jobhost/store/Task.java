package org.jobhost.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A planned job: a name, a cron schedule, the job it runs and its policies. Immutable.
 *
 * @param name unique; letters, digits, {@code . _ -}; it prefixes every job id of the task
 * @param schedule the cron expression as written ({@code "30 2 * * *"}, {@code "@daily"})
 * @param jobType the type of job to run (selects the runner)
 * @param params the runner's parameters; copied, never null
 * @param timezone a zone id such as {@code Europe/Berlin}, or {@code null} for the host's zone
 * @param enabled whether the task's definition enables it
 * @param enabledOverride set by {@code jobhost tasks enable|disable} on a task from the
 *     configuration file; {@code null} when the definition decides
 * @param timeout how long a run may take; {@code null} for the job type's default
 * @param maxAttempts attempts per fire, 0 for the job type's default
 * @param overlap what a fire does while the previous run still goes
 * @param misfire what happens to fires missed while the host was down
 * @param misfireCap at most this many missed fires run under {@link Misfire#FIRE_ALL}
 * @param jitter each fire starts up to this much later (a fixed offset per fire), zero for none
 * @param rerunInterrupted whether a run cut off by a host crash runs again at the next start
 * @param origin where the task was defined
 */
public record Task(
    String name,
    String schedule,
    String jobType,
    Map<String, String> params,
    String timezone,
    boolean enabled,
    Boolean enabledOverride,
    Duration timeout,
    int maxAttempts,
    Overlap overlap,
    Misfire misfire,
    int misfireCap,
    Duration jitter,
    boolean rerunInterrupted,
    Origin origin) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** The default cap on missed fires replayed under {@link Misfire#FIRE_ALL}. */
  public static final int DEFAULT_MISFIRE_CAP = 10;

  /** Validates and copies. */
  public Task {
    Objects.requireNonNull(name, "task name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "task name \""
              + name
              + "\" is invalid; use 1 to 100 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    requireText(name, schedule, "schedule");
    requireText(name, jobType, "type");
    params = params == null ? Map.of() : Map.copyOf(params);
    timezone = timezone == null || timezone.isBlank() ? null : timezone;
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException(
          "task " + name + ": timeout must be positive (was " + timeout + ")");
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException(
          "task "
              + name
              + ": max_attempts must be 0 (type default) or more (was "
              + maxAttempts
              + ")");
    }
    Objects.requireNonNull(overlap, "overlap");
    Objects.requireNonNull(misfire, "misfire");
    if (misfireCap < 1) {
      throw new IllegalArgumentException(
          "task " + name + ": misfire_cap must be at least 1 (was " + misfireCap + ")");
    }
    jitter = jitter == null ? Duration.ZERO : jitter;
    if (jitter.isNegative()) {
      throw new IllegalArgumentException(
          "task " + name + ": jitter must not be negative (was " + jitter + ")");
    }
    Objects.requireNonNull(origin, "origin");
  }

  /** A task with every policy at its default, enabled, defined through the command line. */
  public static Task of(String name, String schedule, String jobType, Map<String, String> params) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        null,
        true,
        null,
        null,
        0,
        Overlap.SKIP,
        Misfire.FIRE_ONCE,
        DEFAULT_MISFIRE_CAP,
        Duration.ZERO,
        false,
        Origin.CLI);
  }

  /** Whether the task runs: the override when set, else the definition. */
  public boolean effectiveEnabled() {
    return enabledOverride != null ? enabledOverride : enabled;
  }

  /** The same task with another enabled override ({@code null} clears it). */
  public Task withEnabledOverride(Boolean override) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        timezone,
        enabled,
        override,
        timeout,
        maxAttempts,
        overlap,
        misfire,
        misfireCap,
        jitter,
        rerunInterrupted,
        origin);
  }

  /** The same task with another definition-level enabled flag. */
  public Task withEnabled(boolean on) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        timezone,
        on,
        enabledOverride,
        timeout,
        maxAttempts,
        overlap,
        misfire,
        misfireCap,
        jitter,
        rerunInterrupted,
        origin);
  }

  /** The same task with other policies. */
  public Task withPolicies(Overlap newOverlap, Misfire newMisfire, int newCap, Duration newJitter) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        timezone,
        enabled,
        enabledOverride,
        timeout,
        maxAttempts,
        newOverlap,
        newMisfire,
        newCap,
        newJitter,
        rerunInterrupted,
        origin);
  }

  /** The same task with another time zone ({@code null} for the host's). */
  public Task withTimezone(String zone) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        zone,
        enabled,
        enabledOverride,
        timeout,
        maxAttempts,
        overlap,
        misfire,
        misfireCap,
        jitter,
        rerunInterrupted,
        origin);
  }

  /** The same task with another timeout, retry policy and interrupted-run policy. */
  public Task withLimits(Duration newTimeout, int newMaxAttempts, boolean newRerunInterrupted) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        timezone,
        enabled,
        enabledOverride,
        newTimeout,
        newMaxAttempts,
        overlap,
        misfire,
        misfireCap,
        jitter,
        newRerunInterrupted,
        origin);
  }

  /** The same task defined elsewhere. */
  public Task withOrigin(Origin newOrigin) {
    return new Task(
        name,
        schedule,
        jobType,
        params,
        timezone,
        enabled,
        enabledOverride,
        timeout,
        maxAttempts,
        overlap,
        misfire,
        misfireCap,
        jitter,
        rerunInterrupted,
        newOrigin);
  }

  /** The parameters sorted by name, for display. */
  public Map<String, String> sortedParams() {
    return new TreeMap<>(params);
  }

  private static void requireText(String task, String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("task " + task + ": " + what + " is required");
    }
  }

  /** What a fire does while the task's previous run still goes. */
  public enum Overlap {
    /** The fire is dropped and recorded as SKIPPED (the default). */
    SKIP,
    /** The fire waits until the previous run ended, then runs. */
    QUEUE,
    /** The fire runs alongside. */
    ALLOW;

    /** The name used in configuration and on the command line: {@code skip}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code skip}, {@code queue} or {@code allow}.
     *
     * @throws IllegalArgumentException naming the text and the accepted values
     */
    public static Overlap parse(String text) {
      return parseEnum(Overlap.class, text, "skip, queue or allow");
    }
  }

  /** What happens to fires that came due while the host was down (or paused). */
  public enum Misfire {
    /** All missed fires together run once, as the latest of them (the default). */
    FIRE_ONCE,
    /** Missed fires are dropped; the task waits for its next fire. */
    SKIP,
    /** Each missed fire runs, the latest {@link Task#misfireCap()} of them, oldest first. */
    FIRE_ALL;

    /** The name used in configuration and on the command line: {@code fire_once}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code fire_once}, {@code skip} or {@code fire_all}.
     *
     * @throws IllegalArgumentException naming the text and the accepted values
     */
    public static Misfire parse(String text) {
      return parseEnum(Misfire.class, text, "fire_once, skip or fire_all");
    }
  }

  /** Where a task was defined. */
  public enum Origin {
    /** {@code [[plugins.cron.tasks]]} in the configuration file; re-synced on start and reload. */
    CONFIG,
    /** {@code jobhost tasks add}; lives only in the database. */
    CLI;

    /** Lowercase name for display. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String accepted) {
    if (text != null) {
      try {
        return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        // fall through to the message naming the accepted values
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not one of " + accepted);
  }
}
