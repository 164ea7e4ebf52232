package org.jobhost.host.config;

import java.time.Duration;

/**
 * The default of every setting, as typed constants. The README's Default column and the shipped
 * {@code conf/jobhost.toml} agree with these (a test checks it).
 */
public final class Defaults {

  /** {@code idle_time}: how long the dispatcher sleeps when no source has work. */
  public static final Duration IDLE_TIME = Duration.ofSeconds(1);

  /** {@code grace_timeout}: how long running jobs get to finish after TERM. */
  public static final Duration GRACE_TIMEOUT = Duration.ofSeconds(5);

  /** {@code kill_timeout}: how long a process group may ignore TERM before KILL. */
  public static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

  /** {@code dispatch}. */
  public static final DispatchMode DISPATCH = DispatchMode.QUEUE;

  /** {@code log_format}. */
  public static final LogFormat LOG_FORMAT = LogFormat.TEXT;

  /** {@code plugins_dir}, relative to the installation. */
  public static final String PLUGINS_DIR = "plugins";

  /** {@code log_dir}, relative to the installation. */
  public static final String LOG_DIR = "logs";

  /** {@code state_dir}, relative to the installation. */
  public static final String STATE_DIR = "var";

  /** {@code run_dir}, relative to the installation. */
  public static final String RUN_DIR = "run";

  /** {@code strict}: whether a broken plugin stops the start. */
  public static final boolean STRICT = false;

  /** {@code pause_children}: whether TSTP also stops running child processes. */
  public static final boolean PAUSE_CHILDREN = false;

  /** {@code retry.max_attempts}. */
  public static final int MAX_ATTEMPTS = 1;

  /** {@code retry.backoff}. */
  public static final Duration BACKOFF = Duration.ofSeconds(1);

  /** {@code retry.max_backoff}. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** {@code retry.jitter}. */
  public static final double JITTER = 0.2;

  /** {@code types.<name>.isolation}. */
  public static final Isolation ISOLATION = Isolation.THREAD;

  /** {@code pid_file}: the name of the PID file in {@code run_dir}, unless set. */
  public static final String PID_FILE_NAME = "jobhost.pid";

  /** {@code pid_file} with the default {@code run_dir}, relative to the installation. */
  public static final String PID_FILE = RUN_DIR + "/" + PID_FILE_NAME;

  /** {@code allow_root}: whether plugins may keep running as root. */
  public static final boolean ALLOW_ROOT = false;

  /** {@code workers.max_jobs}: jobs before a worker JVM is recycled. */
  public static final int WORKER_MAX_JOBS = 1000;

  /** {@code workers.max_memory}: resident memory at which a worker JVM is recycled. */
  public static final long WORKER_MAX_MEMORY = 512L * 1024 * 1024;

  /** {@code workers.start_timeout}: how long a worker JVM may take to become ready. */
  public static final Duration WORKER_START_TIMEOUT = Duration.ofSeconds(30);

  /** The largest {@code max_workers} accepted. */
  public static final int MAX_WORKERS_LIMIT = 4096;

  private Defaults() {}

  /**
   * Returns {@code maxWorkers} when it is from 1 to {@link #MAX_WORKERS_LIMIT}.
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static int checkMaxWorkers(int maxWorkers) {
    if (maxWorkers < 1 || maxWorkers > MAX_WORKERS_LIMIT) {
      throw new IllegalArgumentException(
          "max_workers must be between 1 and " + MAX_WORKERS_LIMIT + " (was " + maxWorkers + ")");
    }
    return maxWorkers;
  }

  /** {@code max_workers}: the number of processors. */
  public static int maxWorkers() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The default retry policy. */
  public static RetryPolicy retry() {
    return new RetryPolicy(MAX_ATTEMPTS, BACKOFF, MAX_BACKOFF, JITTER);
  }
}
