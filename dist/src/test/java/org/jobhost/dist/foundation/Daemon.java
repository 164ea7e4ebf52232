package org.jobhost.dist.foundation;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The assembled jobhost, started as a separate OS process with {@code bin/jobhost run}; its output
 * goes to a file the test reads while it runs. Not thread-safe; one per test.
 */
final class Daemon {

  static final Path TREE = Path.of(System.getProperty("jobhost.tree", "target/jobhost"));

  private final Process process;
  private final Path output;

  private Daemon(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code bin/jobhost <args>} with its output in {@code dir/out.log}. */
  static Daemon start(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(TREE.resolve("bin/jobhost").toString());
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    return new Daemon(p, out);
  }

  long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until a line matches {@code regex}; fails with the output so far. */
  String awaitLine(String regex, Duration max) throws InterruptedException {
    Pattern p = Pattern.compile(regex);
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      for (String line : output().split("\n")) {
        if (p.matcher(line).find()) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    for (String line : output().split("\n")) {
      if (p.matcher(line).find()) {
        return line;
      }
    }
    return fail("no line matching /" + regex + "/ within " + max + "; output:\n" + output());
  }

  /** How many lines match. */
  long count(String regex) {
    Pattern p = Pattern.compile(regex);
    return output().lines().filter(l -> p.matcher(l).find()).count();
  }

  /** Sends a signal with kill(1). */
  void signal(String name) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
      fail("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Sends USR2 until the stats line matches {@code regex}; returns that line. */
  String awaitStats(String regex, Duration max) throws IOException, InterruptedException {
    // Before the JVM reaches main, USR2 would kill it: wait until the daemon is up.
    awaitLine(" ready: ", max);
    Pattern p = Pattern.compile(regex);
    long end = System.nanoTime() + max.toNanos();
    long seen = count("SIGUSR2: completed");
    while (System.nanoTime() < end) {
      signal("USR2");
      long now;
      long waitEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while ((now = count("SIGUSR2: completed")) == seen && System.nanoTime() < waitEnd) {
        Thread.sleep(10);
      }
      List<String> lines = output().lines().filter(l -> l.contains("SIGUSR2: completed")).toList();
      seen = now;
      if (!lines.isEmpty() && p.matcher(lines.get(lines.size() - 1)).find()) {
        return lines.get(lines.size() - 1);
      }
      Thread.sleep(50);
    }
    return fail("no stats line matching /" + regex + "/ within " + max + "; output:\n" + output());
  }

  /** Waits for the exit; returns the exit code, or fails. */
  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      return fail("jobhost did not exit within " + max + "; output:\n" + output());
    }
    return process.exitValue();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Kills the process if it still runs (the last resort of every test). */
  void kill() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
