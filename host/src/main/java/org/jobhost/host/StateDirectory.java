package org.jobhost.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The start-up check that {@code state_dir} can be written. Stateless. */
final class StateDirectory {

  private StateDirectory() {}

  /**
   * Why {@code dir} cannot hold the daemon's state (a file is created and removed there, since
   * permission bits do not tell for root, read-only mounts or immutable directories), or {@code
   * null} when it can.
   */
  static String problem(Path dir) {
    try {
      Path probe = Files.createTempFile(dir, ".jobhost-write-check", ".tmp");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return "state_dir "
          + dir
          + " is not writable ("
          + e.getClass().getSimpleName()
          + ": "
          + e.getMessage()
          + "); jobhost records its children's process groups there and will not start without"
          + " it: make the directory writable by the user jobhost runs as, or set state_dir";
    }
  }
}
