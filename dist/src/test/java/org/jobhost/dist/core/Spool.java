package org.jobhost.dist.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Drops job files into a spool directory and counts what came out. Not thread-safe. */
final class Spool {

  private final Path dir;

  Spool(Path dir) {
    this.dir = dir;
  }

  /** Drops a command job running {@code shell}, written under a temporary name, then renamed. */
  void drop(String name, String shell) {
    try {
      Path incoming = Files.createDirectories(dir.resolve("incoming"));
      Path tmp = incoming.resolve("." + name + ".tmp");
      Files.writeString(
          tmp,
          "{\"type\": \"command\", \"params\": {\"shell\": \"" + shell + "\"}}",
          StandardCharsets.UTF_8);
      Files.move(tmp, incoming.resolve(name + ".json"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many job files (not outcomes) are in {@code sub} (done, failed, active, incoming). */
  long count(String sub) {
    Path d = dir.resolve(sub);
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !n.endsWith(".outcome.json") && !n.startsWith("."))
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
