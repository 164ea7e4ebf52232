package org.jobhost.dist.support;

import static org.awaitility.Awaitility.await;

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
 * The daemon of an assembled tree ({@code jobhost.tree}, set by failsafe) run as a separate OS
 * process: {@code <tree>/bin/jobhost run --config <file>}, its output (stdout and stderr) in a file
 * tests read, real signals sent with {@code kill}. Also runs the tree's command line against the
 * same configuration ({@link #cli}).
 *
 * <p>Every wait is bounded. {@link #close} stops the daemon with TERM, then KILL, and kills what is
 * left of the job processes it started (they run in process groups of their own, so they would
 * outlive a daemon killed with KILL). Not thread-safe: one test thread drives it.
 */
public final class HostProcess implements AutoCloseable {

  /** How long a daemon may take to log "ready" (a JVM start and plugin loading). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** How long a graceful stop may take before the daemon gets KILL. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path output;
  private final List<ProcessHandle> seen = new ArrayList<>();

  private HostProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** The assembled tree under test. */
  public static Path tree() {
    String t = System.getProperty("jobhost.tree");
    if (t == null || !Files.isExecutable(Path.of(t, "bin", "jobhost"))) {
      throw new IllegalStateException(
          "system property jobhost.tree must name an assembled tree with bin/jobhost (was "
              + t
              + "); run the tests through failsafe: mvn verify -pl dist");
    }
    return Path.of(t);
  }

  /**
   * Starts {@code bin/jobhost run --config config} and waits until it logs that it is ready.
   *
   * @param output where the daemon's stdout and stderr go (replaced: use one file per start)
   */
  public static HostProcess start(Path config, Path output) {
    HostProcess h = launch(config, output);
    h.awaitLog("ready:", START_TIMEOUT);
    return h;
  }

  /** Starts the daemon without waiting for it to be ready. */
  public static HostProcess launch(Path config, Path output) {
    ProcessBuilder pb =
        new ProcessBuilder(
                tree().resolve("bin/jobhost").toString(), "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("JOBHOST_CONFIG");
    try {
      return new HostProcess(pb.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
  }

  /** The daemon's pid (the launcher execs the JVM, so this is the JVM). */
  public long pid() {
    return process.pid();
  }

  /** Whether the daemon process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the daemon printed so far. */
  public String log() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the output contains {@code text}; fails with the output when it does not. */
  public void awaitLog(String text, Duration atMost) {
    await("daemon output contains \"" + text + "\"")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .failFast("the daemon exited:\n" + tail(), () -> !process.isAlive())
        .until(() -> log().contains(text));
  }

  /** Sends {@code signal} (such as {@code "TERM"} or {@code "KILL"}) with {@code kill(1)}. */
  public void signal(String signal) {
    remember();
    Cli r = run(List.of("kill", "-" + signal, Long.toString(pid())), Map.of());
    if (r.code() != 0 && process.isAlive()) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: " + r.err());
    }
  }

  /** Kills the daemon with KILL, as a crash would, and waits until it is gone. */
  public void crash() {
    signal("KILL");
    awaitExit(STOP_TIMEOUT);
  }

  /** Waits for the daemon to exit and returns its exit code. */
  public int awaitExit(Duration atMost) {
    try {
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the daemon did not exit within " + atMost + ":\n" + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /**
   * Stops the daemon: TERM, then KILL after {@link #STOP_TIMEOUT}; then KILL for any job process it
   * started that is still there. Safe to call more than once.
   */
  @Override
  public void close() {
    remember();
    try {
      if (process.isAlive()) {
        signal("TERM");
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      for (ProcessHandle h : seen) {
        h.destroyForcibly();
      }
    }
  }

  /** Notes the daemon's descendants now, so they can be killed even after the daemon is gone. */
  private void remember() {
    if (process.isAlive()) {
      process.toHandle().descendants().forEach(seen::add);
    }
  }

  private String tail() {
    String all = log();
    return all.length() > 6000 ? "..." + all.substring(all.length() - 6000) : all;
  }

  /** What a command-line process printed and how it exited. Immutable. */
  public record Cli(int code, String out, String err) {}

  /**
   * Runs {@code <tree>/bin/jobhost args...} against {@code config} (through {@code JOBHOST_CONFIG})
   * and waits for it, at most a minute.
   */
  public static Cli cli(Path config, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(tree().resolve("bin/jobhost").toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("JOBHOST_CONFIG", config.toString()));
  }

  private static Cli run(List<String> command, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("jobhost-cli", ".out");
      Path err = Files.createTempFile("jobhost-cli", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(command + " did not end within 60 s");
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
}
