package org.jobhost.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool directory's state machine: {@code incoming → active → done | failed}, and back to
 * {@code incoming} for a job the host cancelled or a file found in {@code active} at start.
 *
 * <p>A retry is persisted before it is promised: {@code .<name>.attempt} beside the job file (a
 * dotfile, so never taken for a job) holds the next attempt's number and its earliest start. It
 * moves with the file; at start a file in {@code active/} with one is resumed at that attempt and
 * time instead of being queued again from attempt 1, and a file claimed from {@code incoming/} with
 * one (a cancelled retry) keeps its attempt number. It is deleted when the file reaches {@code
 * done/} or {@code failed/}.
 *
 * <p>Only regular files are read, and only up to {@code maxFileSize} bytes: what a name in {@code
 * incoming/} stands for is checked after the claim, on the claimed entry in {@code active/} without
 * following links, so a symbolic link, a named pipe or a device swapped in cannot be followed,
 * block a read or load without bound; such an entry goes to {@code failed/} with a {@code .error}
 * saying why. A name already in flight is not claimed again until its job has ended (the new file
 * waits in {@code incoming/}), and no move ever replaces an existing file: a clash in {@code
 * incoming/}, {@code done/} or {@code failed/} gets a unique name ({@code x-1.json}).
 *
 * <p>Thread-safe: every method holds this object's lock ({@link #poll} comes from the dispatcher,
 * {@link #completed} and {@link #retry} from workers). Only renames within one file system are
 * used, so a file is always whole in exactly one directory.
 *
 * <p>Somewhat over 350 lines on purpose: every transition reads and changes the same in-flight,
 * waiting, retry and listing state under one lock, and reads best in one place; the file formats
 * and checks are {@link JobFileReader}, {@link AttemptFile}, {@link OutcomeFile} and {@link
 * SpoolFiles}.
 */
final class Spool {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  static final String SUFFIX = SpoolFiles.SUFFIX;

  private final Path incoming;
  private final Path active;
  private final Path done;
  private final Path failed;
  private final Clock clock;
  private final Duration minAge;
  private final boolean keepDone;
  private final JobFileReader reader;

  private final Map<String, Path> inFlight = new HashMap<>();

  /** Names left in {@code incoming/} because a file of that name is in flight. */
  private final Set<String> waiting = new HashSet<>();

  private final List<Retry> retries = new ArrayList<>();
  private Instant youngestDue;

  /** Ready files of the last listing, oldest first, not yet claimed. */
  private final Deque<Path> ready = new ArrayDeque<>();

  private volatile boolean changed = true;

  /** Whether a watcher reports every change in {@code incoming/} ({@link #watched}). */
  private volatile boolean watched;

  private Instant lastScan = Instant.MIN;

  /** The longest a listing is reused, in case the watcher misses a change. */
  static final Duration RESCAN_INTERVAL = Duration.ofSeconds(1);

  private record Retry(Job job, Instant notBefore) {}

  /** The largest job file read, in bytes, unless {@code max_file_size} says otherwise. */
  static final long DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

  Spool(Path dir, Clock clock, Duration minAge, boolean keepDone) throws IOException {
    this(dir, clock, minAge, keepDone, DEFAULT_MAX_FILE_SIZE);
  }

  Spool(Path dir, Clock clock, Duration minAge, boolean keepDone, long maxFileSize)
      throws IOException {
    this.incoming = Files.createDirectories(dir.resolve("incoming"));
    this.active = Files.createDirectories(dir.resolve("active"));
    this.done = Files.createDirectories(dir.resolve("done"));
    this.failed = Files.createDirectories(dir.resolve("failed"));
    this.clock = clock;
    this.minAge = minAge;
    this.keepDone = keepDone;
    this.reader = new JobFileReader(maxFileSize);
  }

  Path incoming() {
    return incoming;
  }

  /**
   * Recovers the files left in {@code active/} by a host that died while they ran or waited for a
   * retry: a file with a persisted retry stays and is resumed at that attempt (no earlier than its
   * backoff); a file whose job had ended, and whose companions were written in {@code done/} or
   * {@code failed/} before the host died and the file could follow them, is moved there now (its
   * outcome is known: running it again would run a finished job twice and leave it under another
   * name); every other file goes back to {@code incoming/}. Call once at start.
   *
   * @return how many files were re-queued or resumed
   */
  synchronized int requeueActive() throws IOException {
    int n = 0;
    Instant now = clock.instant();
    for (Path f : SpoolFiles.list(active)) {
      String name = f.getFileName().toString();
      Optional<AttemptFile.Attempt> pending = AttemptFile.read(active, name);
      Optional<Path> settled = pending.isEmpty() ? interruptedSettle(f) : Optional.empty();
      if (settled.isPresent()) {
        SpoolFiles.move(f, settled.get());
        log.warn(
            "spool file={} had ended when the host stopped, and its outcome was written; moved to"
                + " {} now",
            SpoolFiles.printable(name),
            settled.get());
        continue;
      }
      if (pending.isEmpty()) {
        Path back = incoming.resolve(SpoolFiles.freeName(incoming, name));
        SpoolFiles.move(f, back);
        log.warn(
            "spool file={} was active when the host stopped; queued again as {}",
            SpoolFiles.printable(name),
            SpoolFiles.printable(back.getFileName().toString()));
        n++;
        continue;
      }
      JobFile parsed;
      try {
        parsed = reader.read(f);
      } catch (JobFile.Malformed e) {
        log.warn(
            "spool file={} cannot be resumed and was moved to failed/: {}",
            SpoolFiles.printable(name),
            e.getMessage());
        fail(f, active.resolve(name) + ": " + e.getMessage() + "\n");
        continue;
      }
      AttemptFile.Attempt a = pending.get();
      Instant notBefore = a.notBefore().isBefore(now) ? now : a.notBefore();
      inFlight.put(name, f);
      retries.add(new Retry(job(name, parsed, a.number()), notBefore));
      log.warn(
          "spool file={} was waiting for or running attempt {} when the host stopped; attempt {}"
              + " at {}",
          SpoolFiles.printable(name),
          a.number(),
          a.number(),
          notBefore);
      n++;
    }
    return n;
  }

  /**
   * Where {@link #settle} had been moving {@code file} when the host died: the first name in {@code
   * done/} or {@code failed/}, in {@link SpoolFiles#freeName}'s order, that holds companions but no
   * job file, and whose companions were written after the file was claimed (the claim's rename set
   * the file's change time). A companion an operator kept from an earlier job of the same name is
   * older than the claim, so it is passed over as {@code freeName} passes over it.
   */
  private Optional<Path> interruptedSettle(Path file) throws IOException {
    FileTime claimed;
    try {
      claimed = (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String name = file.getFileName().toString();
    for (Path dir : List.of(done, failed)) {
      String candidate = name;
      for (int n = 1; ; n++) {
        boolean jobFile = Files.exists(dir.resolve(candidate), LinkOption.NOFOLLOW_LINKS);
        List<Path> companions = SpoolFiles.companions(dir, candidate);
        if (!jobFile && companions.isEmpty()) {
          break;
        }
        if (!jobFile && writtenSince(companions, claimed)) {
          return Optional.of(dir.resolve(candidate));
        }
        candidate = SpoolFiles.candidate(name, n);
      }
    }
    return Optional.empty();
  }

  private static boolean writtenSince(List<Path> files, FileTime since) throws IOException {
    for (Path p : files) {
      if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).compareTo(since) < 0) {
        return false;
      }
    }
    return true;
  }

  private void forgetAttempt(String name) throws IOException {
    Files.deleteIfExists(AttemptFile.path(active, name));
    Files.deleteIfExists(AttemptFile.path(incoming, name));
  }

  private static Job job(String name, JobFile parsed, int attempt) {
    return new Job(
        name, parsed.type(), parsed.params(), parsed.timeout(), attempt, parsed.maxAttempts());
  }

  /**
   * Claims and parses up to {@code max} files old enough, oldest first; retries first.
   *
   * <p>The directory is listed only when the watcher reported a change ({@link #changed()}), when
   * {@link #RESCAN_INTERVAL} has passed since the last listing, or when the last listing's ready
   * files are used up and either no watcher reports changes or a file that was too young has come
   * of age; otherwise the files of the last listing are claimed in order. Listing and reading the
   * times of every file on each poll made draining a deep spool cost O(n) per job, and a watched
   * spool with nothing in it costs no listing per poll.
   */
  synchronized List<Job> poll(int max) throws IOException {
    Instant now = clock.instant();
    List<Job> out = new ArrayList<>();
    for (Iterator<Retry> it = retries.iterator(); it.hasNext() && out.size() < max; ) {
      Retry r = it.next();
      if (!r.notBefore().isAfter(now)) {
        it.remove();
        out.add(r.job());
      }
    }
    if (out.size() >= max) {
      return out;
    }
    boolean comeOfAge = youngestDue != null && !youngestDue.isAfter(now);
    if (changed
        || !lastScan.plus(RESCAN_INTERVAL).isAfter(now)
        || (ready.isEmpty() && (!watched || comeOfAge))) {
      scan(now);
    }
    while (out.size() < max && !ready.isEmpty()) {
      claim(ready.removeFirst()).ifPresent(out::add);
    }
    return out;
  }

  /** Lists {@code incoming/}: the files old enough, oldest first, and when the next one will be. */
  private void scan(Instant now) throws IOException {
    changed = false;
    lastScan = now;
    youngestDue = null;
    record Candidate(Path file, Instant modified) {}
    List<Candidate> found = new ArrayList<>();
    for (Path f : SpoolFiles.list(incoming)) {
      Instant modified;
      try {
        modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
      } catch (NoSuchFileException e) {
        continue;
      }
      Instant oldEnough = modified.plus(minAge);
      if (oldEnough.isAfter(now)) {
        youngestDue =
            youngestDue == null || oldEnough.isBefore(youngestDue) ? oldEnough : youngestDue;
      } else {
        found.add(new Candidate(f, modified));
      }
    }
    found.sort(
        Comparator.comparing(Candidate::modified).thenComparing(c -> c.file().getFileName()));
    ready.clear();
    for (Candidate c : found) {
      ready.addLast(c.file());
    }
  }

  /**
   * Something changed in {@code incoming/}: the next poll lists it again. Called by the watcher's
   * thread; thread-safe without the lock.
   */
  void changed() {
    changed = true;
  }

  /**
   * Whether a watcher now reports every change in {@code incoming/}: while it does, a spool whose
   * listed files are used up is not listed again until it reports one (or the rescan interval
   * passes). Off until a watcher is started, and again when it stops watching. Thread-safe.
   */
  void watched(boolean on) {
    watched = on;
    changed = true;
  }

  private Optional<Job> claim(Path file) throws IOException {
    String name = file.getFileName().toString();
    Path claimed = active.resolve(name);
    // A rename replaces its target: never claim over a file of the same name that is in flight.
    if (inFlight.containsKey(name) || Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
      if (waiting.add(name)) {
        log.info(
            "spool file={} waits in incoming/: a job of that name is still in active/",
            SpoolFiles.printable(name));
      }
      return Optional.empty();
    }
    waiting.remove(name);
    try {
      Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    JobFile parsed;
    try {
      parsed = reader.read(claimed);
    } catch (JobFile.Malformed e) {
      String message = incoming.resolve(name) + ": " + e.getMessage();
      log.warn(
          "spool file={} was moved to failed/: {}",
          SpoolFiles.printable(name),
          SpoolFiles.printable(e.getMessage()));
      fail(claimed, message + "\n");
      return Optional.empty();
    }
    int attempt = 1;
    Optional<AttemptFile.Attempt> pending = AttemptFile.read(incoming, name);
    if (pending.isPresent()) {
      SpoolFiles.move(AttemptFile.path(incoming, name), AttemptFile.path(active, name));
      attempt = pending.get().number();
    }
    Job job = job(name, parsed, attempt);
    inFlight.put(name, claimed);
    log.debug(
        "spool file={} claimed as job type={}",
        SpoolFiles.printable(name),
        SpoolFiles.printable(parsed.type()));
    return Optional.of(job);
  }

  /** When a file skipped as too young, or a retry, becomes ready; now while listed files wait. */
  synchronized Optional<Instant> nextDue() {
    Instant best = ready.isEmpty() ? youngestDue : clock.instant();
    for (Retry r : retries) {
      best = best == null || r.notBefore().isBefore(best) ? r.notBefore() : best;
    }
    return Optional.ofNullable(best);
  }

  synchronized void completed(Job job, Outcome outcome) throws IOException {
    Path file = inFlight.remove(job.id());
    if (file == null) {
      log.warn(
          "spool job={} completed but was not claimed by this spool",
          SpoolFiles.printable(job.id()));
      return;
    }
    String name = file.getFileName().toString();
    if (waiting.contains(name)) {
      changed = true;
    }
    if (outcome.kind() == Outcome.Kind.CANCELLED) {
      if (Files.exists(AttemptFile.path(active, name))) {
        SpoolFiles.move(AttemptFile.path(active, name), AttemptFile.path(incoming, name));
      }
    } else {
      forgetAttempt(name);
    }
    switch (outcome.kind()) {
      case SUCCEEDED:
        if (keepDone) {
          settle(done, file, job, outcome, null);
        } else {
          Files.deleteIfExists(file);
        }
        break;
      case CANCELLED:
        String back = SpoolFiles.freeName(incoming, name);
        if (!back.equals(name) && Files.exists(AttemptFile.path(incoming, name))) {
          SpoolFiles.move(AttemptFile.path(incoming, name), AttemptFile.path(incoming, back));
        }
        SpoolFiles.move(file, incoming.resolve(back));
        log.info(
            "spool job={} was cancelled ({}); queued again as {}",
            SpoolFiles.printable(name),
            outcome.message(),
            SpoolFiles.printable(back));
        break;
      default:
        fail(
            job,
            outcome,
            file,
            outcome.kind()
                + ": "
                + outcome.message()
                + (outcome.output().isEmpty() ? "" : "\n--- output (tail) ---\n" + outcome.output())
                + "\n");
    }
  }

  synchronized boolean retry(Job job, Outcome outcome, Instant notBefore) {
    if (!inFlight.containsKey(job.id())) {
      return false;
    }
    try {
      AttemptFile.write(active, job.id(), new AttemptFile.Attempt(job.attempt() + 1, notBefore));
    } catch (IOException e) {
      log.warn(
          "spool job={} cannot persist its retry ({}); it is retried, but a restart before then"
              + " starts the file again at attempt 1; check space and permissions of {}",
          SpoolFiles.printable(job.id()),
          e.toString(),
          active);
    }
    retries.add(new Retry(job.nextAttempt(), notBefore));
    log.info(
        "spool job={} attempt {} {}: {}; attempt {} at {}",
        SpoolFiles.printable(job.id()),
        job.attempt(),
        outcome.kind(),
        outcome.message(),
        job.attempt() + 1,
        notBefore);
    return true;
  }

  private void fail(Path file, String error) throws IOException {
    fail(null, null, file, error);
  }

  /** Moves a file to {@code failed/} under a free name, with its {@code .error} (and outcome). */
  private void fail(Job job, Outcome outcome, Path file, String error) throws IOException {
    settle(failed, file, job, outcome, error);
  }

  /**
   * Moves {@code file} into {@code dir} ({@code done/} or {@code failed/}) under a free name, after
   * writing what goes beside it there: {@code <stem>.outcome.json} when there is a job, {@code
   * <stem>.error} when there is an error. So whoever sees the job file there also finds them. A
   * companion that cannot be written (a full disk) does not keep the file in {@code active/}, where
   * a restart would run it again: the move happens, then the write's failure is thrown.
   */
  private void settle(Path dir, Path file, Job job, Outcome outcome, String error)
      throws IOException {
    String name = SpoolFiles.freeName(dir, file.getFileName().toString());
    String stem = SpoolFiles.stem(name);
    IOException unwritten = null;
    if (job != null) {
      try {
        OutcomeFile.write(dir.resolve(stem + ".outcome.json"), job, outcome, clock.instant());
      } catch (IOException e) {
        unwritten = e;
      }
    }
    if (error != null) {
      try {
        Files.writeString(dir.resolve(stem + ".error"), error, StandardCharsets.UTF_8);
      } catch (IOException e) {
        if (unwritten == null) {
          unwritten = e;
        } else {
          unwritten.addSuppressed(e);
        }
      }
    }
    SpoolFiles.move(file, dir.resolve(name));
    if (unwritten != null) {
      throw unwritten;
    }
  }
}
