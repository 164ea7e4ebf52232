package org.jobhost.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.jobhost.reliability.support.Suite;

/** Appends the figures of a run to {@code target/reliability/<file>}, one line each. */
final class Report {

  private Report() {}

  static Path append(String file, String line) {
    try {
      Path dir = Files.createDirectories(Suite.reportDir());
      Path f = dir.resolve(file);
      Files.writeString(
          f,
          Instant.now() + " " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      System.out.println("[reliability] " + line);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
