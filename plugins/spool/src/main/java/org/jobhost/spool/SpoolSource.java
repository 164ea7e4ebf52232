package org.jobhost.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.MetricSample;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Sizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs from JSON files dropped into a spool directory. Write a file under a name that does not end
 * in {@code .json} (or starts with a dot) and rename it to {@code <name>.json} when it is complete;
 * files younger than {@code min_age} are also left alone, for writers that cannot rename.
 *
 * <p>Thread-safe. Starts one daemon thread, {@code jobhost-spool-watcher}, that wakes the
 * dispatcher when a file arrives; it is stopped in {@link #close}. Failed and timed-out attempts
 * are retried when the job has attempts left; the retry is written beside the file first ({@code
 * active/.<name>.attempt}), so a restart resumes it at the same attempt and backoff instead of from
 * attempt 1. A job cancelled by a stopping host goes back to {@code incoming/}.
 */
public final class SpoolSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(SpoolSource.class);

  /** The spool directory under the home directory, unless {@code dir} says otherwise. */
  static final String DEFAULT_DIR = "spool";

  /** Files younger than this are not picked up yet. */
  static final Duration DEFAULT_MIN_AGE = Duration.ofMillis(500);

  static final Set<String> KEYS = Set.of("dir", "keep_done", "min_age", "max_file_size");

  private Spool spool;
  private SpoolWatcher watcher;

  /** Created by the host; nothing happens before {@link #init}. */
  public SpoolSource() {}

  @Override
  public void init(PluginContext context) throws IOException {
    PluginSettings s = context.settings();
    s.requireOnly(KEYS);
    Path dir = context.homeDirectory().resolve(s.string("dir", DEFAULT_DIR));
    Duration minAge = s.duration("min_age", DEFAULT_MIN_AGE);
    boolean keepDone = s.bool("keep_done", true);
    long maxFileSize = maxFileSize(s);
    spool = new Spool(dir, context.clock(), minAge, keepDone, maxFileSize);
    if (context.checkOnly()) {
      // checked, not run: active/ holds the jobs of the daemon that may run beside this check
      return;
    }
    int requeued = spool.requeueActive();
    Spool watched = spool;
    watched.watched(true);
    watcher =
        new SpoolWatcher(
            spool.incoming(),
            () -> {
              watched.changed();
              context.host().wake();
            },
            () -> {
              watched.watched(false);
              context.host().wake();
            });
    Path incoming = spool.incoming();
    context.publishMetrics(
        () ->
            List.of(
                MetricSample.gauge(
                    "incoming_jobs",
                    "Job files waiting in the spool's incoming/ directory",
                    waiting(incoming))));
    log.info(
        "plugin=spool dir={} min_age={} keep_done={} max_file_size={} recovered from active/={}",
        dir,
        minAge,
        keepDone,
        maxFileSize,
        requeued);
  }

  /** How many job files wait in {@code dir} (temporary {@code .name} files do not count). */
  static long waiting(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(Spool.SUFFIX) && !n.startsWith("."))
          .count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * {@code max_file_size}: a whole number of bytes, or a size in jobhost's notation such as {@code
   * "1MB"} or {@code "512KB"} ({@link Sizes}), from 1 byte to 1 GB.
   */
  static long maxFileSize(PluginSettings s) {
    Object raw = s.asMap().get("max_file_size");
    if (raw == null) {
      return Spool.DEFAULT_MAX_FILE_SIZE;
    }
    long bytes;
    if (raw instanceof Number) {
      bytes = ((Number) raw).longValue();
    } else {
      try {
        bytes = Sizes.parse(raw.toString());
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw s.invalid(
            "max_file_size",
            "must be a number of bytes or a size such as \"1MB\" or \"512KB\" (was \""
                + raw
                + "\")");
      }
    }
    if (bytes < 1 || bytes > MAX_MAX_FILE_SIZE) {
      throw s.invalid(
          "max_file_size", "must be from 1 byte to 1GB (was " + raw + "); the default is 1MB");
    }
    return bytes;
  }

  private static final long MAX_MAX_FILE_SIZE = 1024L * 1024 * 1024;

  /**
   * Rejects a reload whose section this source could not start with (an unknown key, a bad size).
   */
  @Override
  public void validateSettings(PluginSettings s) {
    s.requireOnly(KEYS);
    s.string("dir", DEFAULT_DIR);
    s.duration("min_age", DEFAULT_MIN_AGE);
    s.bool("keep_done", true);
    maxFileSize(s);
  }

  @Override
  public void settingsChanged(PluginSettings settings) {
    log.warn("plugin=spool settings changed; restart jobhost to apply them");
  }

  @Override
  public List<Job> poll(int max) throws IOException {
    return spool.poll(max);
  }

  @Override
  public Optional<Instant> nextDue() {
    return spool.nextDue();
  }

  @Override
  public void completed(Job job, Outcome outcome) throws IOException {
    spool.completed(job, outcome);
  }

  @Override
  public boolean retry(Job job, Outcome outcome, Instant notBefore) {
    return spool.retry(job, outcome, notBefore);
  }

  /**
   * The job files waiting in {@code incoming/}; attempts waiting for their retry backoff are not
   * counted.
   */
  @Override
  public OptionalLong depth() {
    Spool s = spool;
    return s == null ? OptionalLong.empty() : OptionalLong.of(waiting(s.incoming()));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (watcher != null) {
      watcher.stop();
    }
  }
}
