package org.jobhost.testsupport;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The daemon of the assembled tree ({@link Tree}) run as a separate OS process, usually {@code
 * bin/jobhost run --config <file>}: its output (stdout and stderr) goes to a file that tests read
 * while it runs, real signals are sent with {@code kill(1)}, and the tree's command line runs
 * against the same configuration ({@link #cli}).
 *
 * <p>Every wait is bounded. {@link #close} stops the daemon with TERM, then KILL, and kills what is
 * left of the job processes it started (they run in process groups of their own, so they would
 * outlive a daemon killed with KILL). Not thread-safe: one test thread drives it.
 */
public final class HostProcess implements AutoCloseable {

  /** How long a daemon may take to log "ready" on a loaded 2-core machine (a JVM and plugins). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long a graceful stop may take before the daemon gets KILL. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path config;
  private final Path output;
  private final List<ProcessHandle> seen = new ArrayList<>();

  private HostProcess(Process process, Path config, Path output) {
    this.process = process;
    this.config = config;
    this.output = output;
  }

  /**
   * Starts {@code bin/jobhost run --config config} and waits until it logs that it is ready; stops
   * it again when it does not.
   *
   * @param output where the daemon's stdout and stderr go (replaced: use one file per start)
   */
  public static HostProcess start(Path config, Path output) {
    HostProcess h = launch(config, output);
    try {
      h.awaitLog("ready:", START_TIMEOUT);
    } catch (RuntimeException | Error e) {
      h.close();
      throw e;
    }
    return h;
  }

  /** Starts {@code bin/jobhost run --config config} without waiting for it to be ready. */
  public static HostProcess launch(Path config, Path output) {
    return command("run", "--config", config.toString()).config(config).output(output).launch();
  }

  /** A launch of {@code bin/jobhost args...}, to be given its output file and then launched. */
  public static Launch command(String... args) {
    return new Launch(List.of(args));
  }

  /** How to start one daemon: the arguments, the output file, the environment. Not thread-safe. */
  public static final class Launch {
    private final List<String> args;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path config;
    private Path output;
    private boolean append;

    private Launch(List<String> args) {
      this.args = args;
    }

    /** The configuration the command line of {@link HostProcess#cli} uses. */
    public Launch config(Path file) {
      this.config = file;
      return this;
    }

    /** Where stdout and stderr go; replaced unless {@link #appendOutput}. */
    public Launch output(Path file) {
      this.output = file;
      return this;
    }

    /** Appends to the output file, for a daemon started again on the same directory. */
    public Launch appendOutput() {
      this.append = true;
      return this;
    }

    /** Sets an environment variable of the daemon ({@code JOBHOST_CONFIG} is always removed). */
    public Launch env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Starts the process without waiting for it to be ready. */
    public HostProcess launch() {
      if (output == null) {
        throw new IllegalStateException("a launch needs an output file");
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Tree.launcher().toString());
      cmd.addAll(args);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  append
                      ? ProcessBuilder.Redirect.appendTo(output.toFile())
                      : ProcessBuilder.Redirect.to(output.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().remove("JOBHOST_CONFIG");
      pb.environment().remove("NOTIFY_SOCKET");
      pb.environment().putAll(env);
      try {
        return new HostProcess(pb.start(), config, output);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + pb.command(), e);
      }
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

  /** The OS process, for tests that assert on {@link Process#waitFor} and the exit value. */
  public Process process() {
    return process;
  }

  /** Everything the daemon printed so far ({@code ""} before it printed anything). */
  public String log() {
    try {
      return Files.isRegularFile(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the output contains {@code text}; fails with the output's tail when the daemon
   * exits without it or {@code atMost} passes.
   */
  public void awaitLog(String text, Duration atMost) {
    awaitOutput("\"" + text + "\"", atMost, () -> Optional.of(text).filter(t -> log().contains(t)));
  }

  /**
   * Waits until a line of the output matches {@code regex} and returns the first such line; fails
   * with the output's tail when the daemon exits without one or {@code atMost} passes.
   */
  public String awaitLine(String regex, Duration atMost) {
    Pattern p = Pattern.compile(regex);
    return awaitOutput(
        "a line matching /" + regex + "/",
        atMost,
        () -> log().lines().filter(l -> p.matcher(l).find()).findFirst());
  }

  /** Polls {@code found} until it has a value, the daemon exits without one, or time is up. */
  private <T> T awaitOutput(String what, Duration atMost, Supplier<Optional<T>> found) {
    try {
      return await("daemon output has " + what)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(20))
          .failFast(
              () -> {
                if (!process.isAlive() && found.get().isEmpty()) {
                  throw new AssertionError(
                      "the daemon exited with "
                          + process.exitValue()
                          + " without "
                          + what
                          + " in its output:\n"
                          + tail());
                }
              })
          .until(found::get, Optional::isPresent)
          .orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no " + what + " in the daemon's output within " + atMost + ":\n" + tail(), e);
    }
  }

  /** How many lines of the output match {@code regex}. */
  public long count(String regex) {
    Pattern p = Pattern.compile(regex);
    return log().lines().filter(l -> p.matcher(l).find()).count();
  }

  /** Sends {@code signal} (such as {@code "TERM"} or {@code "KILL"}) with {@code kill(1)}. */
  public void signal(String signal) {
    remember();
    Cli r =
        Cli.run(
            List.of("kill", "-" + signal, Long.toString(pid())), Map.of(), Duration.ofSeconds(30));
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

  /** Runs {@code bin/jobhost args...} against this daemon's configuration. */
  public Cli cli(String... args) {
    if (config == null) {
      throw new IllegalStateException("this daemon was launched without a configuration file");
    }
    return Cli.jobhost(config, args);
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
      seen.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Notes the daemon's descendants now, so they can be killed even after the daemon is gone. */
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
