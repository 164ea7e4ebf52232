package org.jobhost.dist.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one command to its end (bounded), with its output in files of a given directory. */
final class Shell {

  static final Duration TIMEOUT = Duration.ofSeconds(180);

  /** A finished command. */
  record Result(List<String> cmd, int code, String out, String err) {
    String all() {
      return cmd + " exited " + code + "\n" + out + err;
    }
  }

  private final Path dir;

  Shell(Path dir) {
    this.dir = dir;
  }

  Result run(String... cmd) throws IOException, InterruptedException {
    return run(Map.of(), cmd);
  }

  /** Runs {@code cmd} with {@code env} on top of this JVM's environment (less NOTIFY_SOCKET). */
  Result run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().remove("NOTIFY_SOCKET");
    pb.environment().remove("JOBHOST_CONFIG");
    pb.environment().remove("JOBHOST_CDS_DIR");
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(List.of(cmd) + " did not finish in " + TIMEOUT);
    }
    return new Result(
        List.of(cmd),
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
