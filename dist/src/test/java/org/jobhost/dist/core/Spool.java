package org.jobhost.dist.core;

import java.nio.file.Path;
import org.jobhost.dist.support.SpoolFiles;

/** Drops command jobs into one spool directory and counts what came out. Not thread-safe. */
final class Spool {

  private final Path dir;

  Spool(Path dir) {
    this.dir = dir;
  }

  /** Drops a command job {@code name.json} running {@code shell}, as {@link SpoolFiles#drop}. */
  void drop(String name, String shell) {
    SpoolFiles.drop(dir, name + ".json", SpoolFiles.commandJob(shell));
  }

  /** How many job files (not outcomes) are in {@code sub} (done, failed, active, incoming). */
  long count(String sub) {
    return SpoolFiles.jobFiles(dir.resolve(sub)).size();
  }
}
