package org.jobhost.dist.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Job files in a spool directory: dropped in the documented way, listed by name. Stateless. */
public final class SpoolFiles {

  private SpoolFiles() {}

  /**
   * Drops {@code json} as {@code spool/incoming/<fileName>}: written under a temporary name that
   * starts with a dot, then renamed in atomically, as the README tells producers to.
   */
  public static void drop(Path spool, String fileName, String json) {
    try {
      Path incoming = Files.createDirectories(spool.resolve("incoming"));
      Path tmp = incoming.resolve("." + fileName + ".tmp");
      Files.writeString(tmp, json);
      Files.move(tmp, incoming.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON of a command job that runs {@code shell} (which must need no JSON escaping). */
  public static String commandJob(String shell) {
    return "{\"type\": \"command\", \"params\": {\"shell\": \"" + shell + "\"}}";
  }

  /**
   * The names of the job files in {@code dir} (such as {@code spool/done}), sorted, without outcome
   * files and files being written; empty when {@code dir} does not exist.
   */
  public static Set<String> jobFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !n.endsWith(".outcome.json") && !n.startsWith("."))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
