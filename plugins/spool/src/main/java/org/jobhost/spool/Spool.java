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
import java.util.ArrayList;
import java.util.Comparator;
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
   * Moves every file left in {@code active/} back to {@code incoming/}: the host died while they
   * ran. Call once at start.
   *
   * @return how many files were re-queued
   */
  synchronized int requeueActive() throws IOException {
    int n = 0;
    for (Path f : list(active)) {
      move(f, incoming.resolve(f.getFileName()));
      log.warn("spool file={} was active when the host stopped; queued again", f.getFileName());
      n++;
    }
    return n;
  }

  /** Claims and parses up to {@code max} files old enough, oldest first; retries first. */
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
    youngestDue = null;
    record Candidate(Path file, Instant modified) {}
    List<Candidate> ready = new ArrayList<>();
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
        ready.add(new Candidate(f, modified));
      }
    }
    ready.sort(
        Comparator.comparing(Candidate::modified).thenComparing(c -> c.file().getFileName()));
    for (Candidate c : ready) {
      if (out.size() >= max) {
        youngestDue = now;
        break;
      }
      claim(c.file()).ifPresent(out::add);
    }
    return out;
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
    Job job =
        new Job(name, parsed.type(), parsed.params(), parsed.timeout(), 1, parsed.maxAttempts());
    inFlight.put(name, claimed);
    log.debug("spool file={} claimed as job type={}", name, parsed.type());
    return Optional.of(job);
  }

  /** When a file skipped as too young, or a retry, becomes ready. */
  synchronized Optional<Instant> nextDue() {
    Instant best = youngestDue;
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
