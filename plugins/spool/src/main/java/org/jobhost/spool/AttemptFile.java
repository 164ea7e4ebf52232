package org.jobhost.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted retry of a job file: {@code .<name>.attempt} beside it (a dotfile, so never taken
 * for a job) holds the next attempt's number and its earliest start. Stateless.
 */
final class AttemptFile {

  private static final Logger log = LoggerFactory.getLogger(AttemptFile.class);

  private AttemptFile() {}

  /** A persisted retry: the next attempt's number and its earliest start. */
  record Attempt(int number, Instant notBefore) {}

  static Path path(Path dir, String name) {
    return dir.resolve("." + name + ".attempt");
  }

  static Optional<Attempt> read(Path dir, String name) {
    Path f = path(dir, name);
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
          SpoolFiles.printable(name),
          SpoolFiles.printable(f.toString()),
          e.toString());
      return Optional.empty();
    }
  }

  static void write(Path dir, String name, Attempt a) throws IOException {
    Path target = path(dir, name);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        "attempt=" + a.number() + "\nnot_before=" + a.notBefore() + "\n",
        StandardCharsets.UTF_8);
    SpoolFiles.move(tmp, target);
  }
}
