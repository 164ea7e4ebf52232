package org.jobhost.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a finished command printed and how it exited, and the runner of such commands (the tree's
 * {@code bin/jobhost} or any other). Input is {@code /dev/null}; a command still running at its
 * limit is killed and fails the test. Immutable.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
public record Cli(int code, String out, String err) {

  /** How long a command of the tree may take on a loaded 2-core machine. */
  public static final Duration LIMIT = Duration.ofSeconds(90);

  /** Runs {@code bin/jobhost args...} with {@code JOBHOST_CONFIG=config}. */
  public static Cli jobhost(Path config, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Tree.launcher().toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("JOBHOST_CONFIG", config.toString()), LIMIT);
  }

  /**
   * Runs {@code command} with {@code env} added to this JVM's environment (less {@code
   * JOBHOST_CONFIG} and {@code NOTIFY_SOCKET} unless {@code env} sets them; an entry whose value is
   * null removes that variable) and waits for it. At the limit the command and every process it
   * started are killed.
   */
  public static Cli run(List<String> command, Map<String, String> env, Duration limit) {
    try {
      Path out = Files.createTempFile("jobhost-cli", ".out");
      Path err = Files.createTempFile("jobhost-cli", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().remove("JOBHOST_CONFIG");
        pb.environment().remove("NOTIFY_SOCKET");
        env.forEach(
            (name, value) -> {
              if (value == null) {
                pb.environment().remove(name);
              } else {
                pb.environment().put(name, value);
              }
            });
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(command + " did not end within " + limit.toSeconds() + " s");
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

  /** {@link #run(List, Map, Duration)} with the limit in seconds. */
  public static Cli run(List<String> command, Map<String, String> env, int seconds) {
    return run(command, env, Duration.ofSeconds(seconds));
  }

  /** Standard output and error together, for assertions on messages. */
  public String all() {
    return out + err;
  }
}
