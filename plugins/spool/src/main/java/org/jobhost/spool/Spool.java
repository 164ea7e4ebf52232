package org.jobhost.spool;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * <p>Thread-safe: every method holds this object's lock ({@link #poll} comes from the dispatcher,
 * {@link #completed} and {@link #retry} from workers). Only renames within one file system are
 * used, so a file is always whole in exactly one directory.
 */
final class Spool {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  static final String SUFFIX = ".json";

  private static final JsonFactory JSON = new JsonFactory();

  private final Path incoming;
  private final Path active;
  private final Path done;
  private final Path failed;
  private final Clock clock;
  private final Duration minAge;
  private final boolean keepDone;

  private final Map<String, Path> inFlight = new HashMap<>();
  private final List<Retry> retries = new ArrayList<>();
  private Instant youngestDue;

  /** Ready files of the last listing, oldest first, not yet claimed. */
  private final Deque<Path> ready = new ArrayDeque<>();

  private volatile boolean changed = true;
  private Instant lastScan = Instant.MIN;

  /** The longest a listing is reused, in case the watcher misses a change. */
  static final Duration RESCAN_INTERVAL = Duration.ofSeconds(1);

  private record Retry(Job job, Instant notBefore) {}

  Spool(Path dir, Clock clock, Duration minAge, boolean keepDone) throws IOException {
    this.incoming = Files.createDirectories(dir.resolve("incoming"));
    this.active = Files.createDirectories(dir.resolve("active"));
    this.done = Files.createDirectories(dir.resolve("done"));
    this.failed = Files.createDirectories(dir.resolve("failed"));
    this.clock = clock;
    this.minAge = minAge;
    this.keepDone = keepDone;
  }

  Path incoming() {
    return incoming;
  }

  /**
   * Recovers the files left in {@code active/} by a host that died while they ran or waited for a
   * retry: a file with a persisted retry stays and is resumed at that attempt (no earlier than its
   * backoff), every other file goes back to {@code incoming/}. Call once at start.
   *
   * @return how many files were re-queued or resumed
   */
  synchronized int requeueActive() throws IOException {
    int n = 0;
    Instant now = clock.instant();
    for (Path f : list(active)) {
      String name = f.getFileName().toString();
      Optional<Attempt> pending = readAttempt(active, name);
      if (pending.isEmpty()) {
        move(f, incoming.resolve(name));
        log.warn("spool file={} was active when the host stopped; queued again", name);
        n++;
        continue;
      }
      JobFile parsed;
      try {
        parsed = JobFile.read(f);
      } catch (JobFile.Malformed e) {
        fail(f, active.resolve(name) + ": " + e.getMessage() + "\n");
        continue;
      }
      Attempt a = pending.get();
      Instant notBefore = a.notBefore().isBefore(now) ? now : a.notBefore();
      inFlight.put(name, f);
      retries.add(new Retry(job(name, parsed, a.number()), notBefore));
      log.warn(
          "spool file={} was waiting for or running attempt {} when the host stopped; attempt {}"
              + " at {}",
          name,
          a.number(),
          a.number(),
          notBefore);
      n++;
    }
    return n;
  }

  /** A persisted retry: the next attempt's number and its earliest start. */
  private record Attempt(int number, Instant notBefore) {}

  private static Path attemptFile(Path dir, String name) {
    return dir.resolve("." + name + ".attempt");
  }

  private static Optional<Attempt> readAttempt(Path dir, String name) {
    Path f = attemptFile(dir, name);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      int number = 0;
      Instant notBefore = Instant.EPOCH;
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (line.startsWith("attempt=")) {
          number = Integer.parseInt(line.substring("attempt=".length()).trim());
        } else if (line.startsWith("not_before=")) {
          notBefore = Instant.parse(line.substring("not_before=".length()).trim());
        }
      }
      if (number < 1) {
        throw new IllegalArgumentException("no attempt=N line");
      }
      return Optional.of(new Attempt(number, notBefore));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "spool file={}: cannot read {} ({}); the file starts again at attempt 1; delete it if"
              + " it is stale",
          name,
          f,
          e.toString());
      return Optional.empty();
    }
  }

  private static void writeAttempt(Path dir, String name, Attempt a) throws IOException {
    Path target = attemptFile(dir, name);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        "attempt=" + a.number() + "\nnot_before=" + a.notBefore() + "\n",
        StandardCharsets.UTF_8);
    move(tmp, target);
  }

  private void forgetAttempt(String name) throws IOException {
    Files.deleteIfExists(attemptFile(active, name));
    Files.deleteIfExists(attemptFile(incoming, name));
  }

  private static Job job(String name, JobFile parsed, int attempt) {
    return new Job(
        name, parsed.type(), parsed.params(), parsed.timeout(), attempt, parsed.maxAttempts());
  }

  /**
   * Claims and parses up to {@code max} files old enough, oldest first; retries first.
   *
   * <p>The directory is listed only when the last listing's ready files are used up, when the
   * watcher reported a change ({@link #changed()}), or {@link #RESCAN_INTERVAL} after the last
   * listing; otherwise the files of the last listing are claimed in order. Listing and reading the
   * times of every file on each poll made draining a deep spool cost O(n) per job.
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
    if (ready.isEmpty() || changed || !lastScan.plus(RESCAN_INTERVAL).isAfter(now)) {
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
    for (Path f : list(incoming)) {
      Instant modified;
      try {
        modified = Files.getLastModifiedTime(f).toInstant();
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

  private Optional<Job> claim(Path file) throws IOException {
    String name = file.getFileName().toString();
    Path claimed = active.resolve(name);
    try {
      Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    JobFile parsed;
    try {
      parsed = JobFile.read(claimed);
    } catch (JobFile.Malformed e) {
      String message = incoming.resolve(name) + ": " + e.getMessage();
      log.warn("spool file={} is malformed and was moved to failed/: {}", name, e.getMessage());
      fail(claimed, message + "\n");
      return Optional.empty();
    }
    int attempt = 1;
    Optional<Attempt> pending = readAttempt(incoming, name);
    if (pending.isPresent()) {
      move(attemptFile(incoming, name), attemptFile(active, name));
      attempt = pending.get().number();
    }
    Job job = job(name, parsed, attempt);
    inFlight.put(name, claimed);
    log.debug("spool file={} claimed as job type={}", name, parsed.type());
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
      log.warn("spool job={} completed but was not claimed by this spool", job.id());
      return;
    }
    String name = file.getFileName().toString();
    if (outcome.kind() == Outcome.Kind.CANCELLED) {
      if (Files.exists(attemptFile(active, name))) {
        move(attemptFile(active, name), attemptFile(incoming, name));
      }
    } else {
      forgetAttempt(name);
    }
    switch (outcome.kind()) {
      case SUCCEEDED:
        if (keepDone) {
          move(file, done.resolve(name));
          writeOutcome(done.resolve(stem(name) + ".outcome.json"), job, outcome);
        } else {
          Files.deleteIfExists(file);
        }
        break;
      case CANCELLED:
        move(file, incoming.resolve(name));
        log.info("spool job={} was cancelled ({}); queued again", name, outcome.message());
        break;
      default:
        writeOutcome(failed.resolve(stem(name) + ".outcome.json"), job, outcome);
        fail(
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
      writeAttempt(active, job.id(), new Attempt(job.attempt() + 1, notBefore));
    } catch (IOException e) {
      log.warn(
          "spool job={} cannot persist its retry ({}); it is retried, but a restart before then"
              + " starts the file again at attempt 1; check space and permissions of {}",
          job.id(),
          e.toString(),
          active);
    }
    retries.add(new Retry(job.nextAttempt(), notBefore));
    log.info(
        "spool job={} attempt {} {}: {}; attempt {} at {}",
        job.id(),
        job.attempt(),
        outcome.kind(),
        outcome.message(),
        job.attempt() + 1,
        notBefore);
    return true;
  }

  private void fail(Path file, String error) throws IOException {
    String name = file.getFileName().toString();
    move(file, failed.resolve(name));
    Files.writeString(failed.resolve(stem(name) + ".error"), error, StandardCharsets.UTF_8);
  }

  private void writeOutcome(Path target, Job job, Outcome outcome) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (JsonGenerator g = JSON.createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("job_id", job.id());
      g.writeStringField("type", job.type());
      g.writeNumberField("attempt", job.attempt());
      g.writeStringField("outcome", outcome.kind().name());
      if (outcome.exitCode().isPresent()) {
        g.writeNumberField("exit_code", outcome.exitCode().getAsInt());
      } else {
        g.writeNullField("exit_code");
      }
      g.writeStringField("message", outcome.message());
      g.writeStringField("output_tail", outcome.output());
      g.writeStringField("ended_at", clock.instant().toString());
      g.writeEndObject();
    }
    move(tmp, target);
  }

  private static String stem(String name) {
    return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Job files in a directory: {@code *.json}, not hidden; never {@code .tmp} or dotfiles. */
  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (!n.startsWith(".") && n.endsWith(SUFFIX) && Files.isRegularFile(f)) {
          out.add(f);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }
}
