package org.jobhost.reliability.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * A daemon of the assembled tree run as an OS process ({@code bin/jobhost run --config FILE}),
 * driven with real signals and the tree's own command line, observed through {@code /proc}. Every
 * wait is bounded; {@link #close} stops it (TERM, then KILL) and kills the job processes it
 * started, also those that left its process groups. Not thread-safe: one test thread drives it.
 */
public final class Daemon implements AutoCloseable {

  /** How long a start may take on a loaded 2-core machine (a JVM and plugin loading). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path config;
  private final Path output;
  private final List<ProcessHandle> seen = new ArrayList<>();

  private Daemon(Process process, Path config, Path output) {
    this.process = process;
    this.config = config;
    this.output = output;
  }

  /** Starts the daemon and waits for its {@code ready:} line. */
  public static Daemon start(Path config, Path output) {
    Daemon d = launch(config, output);
    try {
      d.awaitLog("ready:", START_TIMEOUT);
    } catch (RuntimeException | Error e) {
      d.close();
      throw e;
    }
    return d;
  }

  /** Starts the daemon without waiting. */
  public static Daemon launch(Path config, Path output) {
    ProcessBuilder pb =
        new ProcessBuilder(
                Tree.root().resolve("bin/jobhost").toString(), "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("JOBHOST_CONFIG");
    try {
      return new Daemon(pb.start(), config, output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
  }

  public long pid() {
    return process.pid();
  }

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

  /** Waits until the output contains {@code text}; fails with its tail when the daemon exits. */
  public void awaitLog(String text, Duration atMost) {
    await("daemon output contains \"" + text + "\"")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .failFast(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the daemon exited with " + process.exitValue() + ":\n" + tail());
              }
            })
        .until(() -> log().contains(text));
  }

  /** Sends a signal by name ({@code "TERM"}) with {@code kill(1)}. */
  public void signal(String name) {
    remember();
    Cli r = Cli.run(List.of("kill", "-" + name, Long.toString(pid())), Map.of(), 30);
    if (r.code() != 0 && process.isAlive()) {
      throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + r.err());
    }
  }

  /** SIGKILL, as a crash; waits until the process is gone. */
  public void crash() {
    signal("KILL");
    awaitExit(Duration.ofSeconds(30));
  }

  /** Waits for the exit and returns the exit code. */
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

  /** {@code jobhost status --json} of this daemon, parsed. */
  public JsonNode status() {
    Cli r = cli("status", "--json");
    if (r.code() != 0) {
      throw new AssertionError("status --json exited " + r.code() + ": " + r.out() + r.err());
    }
    try {
      return JSON.readTree(r.out());
    } catch (IOException e) {
      throw new AssertionError("status --json printed no JSON: " + r.out(), e);
    }
  }

  /** Runs {@code bin/jobhost args...} against this daemon's configuration. */
  public Cli cli(String... args) {
    return Cli.jobhost(config, args);
  }

  /** A sample of the process from {@code /proc}. */
  public ProcSample sample() {
    return ProcSample.of(pid());
  }

  @Override
  public void close() {
    remember();
    try {
      if (process.isAlive()) {
        signal("TERM");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      seen.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Notes the daemon's descendants, to kill them even after the daemon is gone. */
  public void remember() {
    if (process.isAlive()) {
      process.toHandle().descendants().forEach(seen::add);
    }
  }

  /** The last 6000 characters of the output. */
  public String tail() {
    String all = log();
    return all.length() > 6000 ? "..." + all.substring(all.length() - 6000) : all;
  }
}
