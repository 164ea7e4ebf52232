package org.jobhost.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a command-line process printed and how it exited. Immutable.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
public record Cli(int code, String out, String err) {

  /** Runs {@code bin/jobhost args...} with {@code JOBHOST_CONFIG=config}, at most 90 s. */
  public static Cli jobhost(Path config, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Tree.root().resolve("bin/jobhost").toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("JOBHOST_CONFIG", config.toString()), 90);
  }

  /** Runs a command and waits for it, at most {@code seconds}. */
  public static Cli run(List<String> command, Map<String, String> env, int seconds) {
    try {
      Path out = Files.createTempFile("reliability-cli", ".out");
      Path err = Files.createTempFile("reliability-cli", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(command + " did not end within " + seconds + " s");
        }
        return new Cli(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Standard output and error together, for assertions on messages. */
  public String all() {
    return out + err;
  }
}
