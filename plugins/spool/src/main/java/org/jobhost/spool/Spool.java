package org.jobhost.spool;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
  private final long maxFileSize;

  private final Map<String, Path> inFlight = new HashMap<>();

  /** Names left in {@code incoming/} because a file of that name is in flight. */
  private final Set<String> waiting = new HashSet<>();

  private final List<Retry> retries = new ArrayList<>();
  private Instant youngestDue;

  /** Ready files of the last listing, oldest first, not yet claimed. */
  private final Deque<Path> ready = new ArrayDeque<>();

  private volatile boolean changed = true;
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
    this.maxFileSize = maxFileSize;
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
        Path back = incoming.resolve(freeName(incoming, name));
        move(f, back);
        log.warn(
            "spool file={} was active when the host stopped; queued again as {}",
            printable(name),
            printable(back.getFileName().toString()));
        n++;
        continue;
      }
      JobFile parsed;
      try {
        parsed = load(f);
      } catch (JobFile.Malformed e) {
        log.warn(
            "spool file={} cannot be resumed and was moved to failed/: {}",
            printable(name),
            e.getMessage());
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
          printable(name),
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
          printable(name),
          printable(f.toString()),
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

  private Optional<Job> claim(Path file) throws IOException {
    String name = file.getFileName().toString();
    Path claimed = active.resolve(name);
    // A rename replaces its target: never claim over a file of the same name that is in flight.
    if (inFlight.containsKey(name) || Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
      if (waiting.add(name)) {
        log.info(
            "spool file={} waits in incoming/: a job of that name is still in active/",
            printable(name));
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
      parsed = load(claimed);
    } catch (JobFile.Malformed e) {
      String message = incoming.resolve(name) + ": " + e.getMessage();
      log.warn(
          "spool file={} was moved to failed/: {}", printable(name), printable(e.getMessage()));
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
    log.debug("spool file={} claimed as job type={}", printable(name), printable(parsed.type()));
    return Optional.of(job);
  }

  /**
   * Reads a claimed entry of {@code active/}: a regular file (checked without following links, and
   * opened so that a link swapped in is not followed either) of at most {@code maxFileSize} bytes,
   * checked before and while reading, then parsed.
   *
   * @throws JobFile.Malformed for anything that is not a job file, saying why and what to do
   */
  private JobFile load(Path claimed) throws JobFile.Malformed {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(claimed, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new JobFile.Malformed("cannot read its attributes (" + e + ")");
    }
    if (attrs.isSymbolicLink()) {
      throw new JobFile.Malformed(
          "is a symbolic link; the spool reads only regular files, never what a link points to;"
              + " copy the job file itself into incoming/");
    }
    if (!attrs.isRegularFile()) {
      throw new JobFile.Malformed(
          "is not a regular file (a named pipe, device, socket or directory); the spool reads only"
              + " regular files; write the job to a file and rename it into incoming/");
    }
    if (attrs.size() > maxFileSize) {
      throw tooBig(attrs.size());
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(claimed, LinkOption.NOFOLLOW_LINKS)) {
      content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileSize + 1));
    } catch (IOException e) {
      throw new JobFile.Malformed("cannot be read (" + e + "); check its permissions");
    }
    if (content.length > maxFileSize) {
      throw tooBig(content.length);
    }
    return JobFile.parse(content);
  }

  private JobFile.Malformed tooBig(long size) {
    return new JobFile.Malformed(
        "is "
            + size
            + " bytes, more than max_file_size ("
            + maxFileSize
            + " bytes); a job file holds a type and a few parameters: pass large data by path in"
            + " \"params\", or raise max_file_size in [plugins.spool]");
  }

  /**
   * A name for display in a log line: control characters (a newline would split the line) and
   * backslashes escaped, so one file is one line whatever its name.
   */
  static String printable(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        b.append("\\\\");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
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
      log.warn("spool job={} completed but was not claimed by this spool", printable(job.id()));
      return;
    }
    String name = file.getFileName().toString();
    if (waiting.contains(name)) {
      changed = true;
    }
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
          String kept = freeName(done, name);
          move(file, done.resolve(kept));
          writeOutcome(done.resolve(stem(kept) + ".outcome.json"), job, outcome);
        } else {
          Files.deleteIfExists(file);
        }
        break;
      case CANCELLED:
        String back = freeName(incoming, name);
        if (!back.equals(name) && Files.exists(attemptFile(incoming, name))) {
          move(attemptFile(incoming, name), attemptFile(incoming, back));
        }
        move(file, incoming.resolve(back));
        log.info(
            "spool job={} was cancelled ({}); queued again as {}",
            printable(name),
            outcome.message(),
            printable(back));
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
      writeAttempt(active, job.id(), new Attempt(job.attempt() + 1, notBefore));
    } catch (IOException e) {
      log.warn(
          "spool job={} cannot persist its retry ({}); it is retried, but a restart before then"
              + " starts the file again at attempt 1; check space and permissions of {}",
          printable(job.id()),
          e.toString(),
          active);
    }
    retries.add(new Retry(job.nextAttempt(), notBefore));
    log.info(
        "spool job={} attempt {} {}: {}; attempt {} at {}",
        printable(job.id()),
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
    String name = freeName(failed, file.getFileName().toString());
    if (job != null) {
      writeOutcome(failed.resolve(stem(name) + ".outcome.json"), job, outcome);
    }
    move(file, failed.resolve(name));
    Files.writeString(failed.resolve(stem(name) + ".error"), error, StandardCharsets.UTF_8);
  }

  /**
   * {@code name} if neither it nor its {@code .error}/{@code .outcome.json} exist in {@code dir},
   * else the first free {@code <stem>-<n>.json}: a move never replaces a file.
   */
  private static String freeName(Path dir, String name) {
    String candidate = name;
    for (int n = 1; taken(dir, candidate); n++) {
      candidate = stem(name) + "-" + n + SUFFIX;
    }
    return candidate;
  }

  private static boolean taken(Path dir, String name) {
    return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve(stem(name) + ".error"), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve(stem(name) + ".outcome.json"), LinkOption.NOFOLLOW_LINKS);
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

  /**
   * Entries of a directory named {@code *.json}, not hidden, not directories; never {@code .tmp} or
   * dotfiles. Links, pipes and devices are listed so that a claim moves them to {@code failed/}
   * with the reason instead of leaving them unexplained.
   */
  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (!n.startsWith(".")
            && n.endsWith(SUFFIX)
            && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
          out.add(f);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }
}
