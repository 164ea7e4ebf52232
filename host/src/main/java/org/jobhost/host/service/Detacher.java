package org.jobhost.host.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import jnr.posix.POSIX;
import org.jobhost.host.config.Config;
import org.jobhost.host.control.ControlClient;
import org.jobhost.host.control.ControlProtocol;

/**
 * {@code jobhost start}: the JVM cannot fork, so the command spawns {@code bin/jobhost run
 * --daemonized ...} under {@code setsid} (new session, no controlling terminal), stdin from
 * /dev/null, stdout and stderr appended to {@code <log_dir>/jobhost.out}, cwd {@code /}, and waits
 * until the daemon answers {@code status} on its control socket as running (exit 0) or the child
 * dies (exit 1, with what it printed). Run by root with a {@code user} set, it first hands the
 * daemon's directories to that user ({@link UserSwitch#claimDirectories}) and opens {@code
 * jobhost.out} through {@link OutFile} (no symbolic link followed, only a plain file of that user).
 * Not thread-safe; one use per command.
 */
public final class Detacher {

  /** The file the detached daemon's stdout and stderr go to, in {@code log_dir}. */
  public static final String OUT_FILE = "jobhost.out";

  /** How often the start checks on the child. */
  private static final Duration POLL = Duration.ofMillis(10);

  private final Config config;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Supplier<POSIX> nativeAccess;

  /**
   * @param config the configuration the daemon will read
   * @param out for the success line
   * @param err for problems
   * @param nativeAccess native POSIX access (used only by root with a {@code user} set), or a
   *     supplier of {@code null} when unavailable
   */
  public Detacher(Config config, PrintWriter out, PrintWriter err, Supplier<POSIX> nativeAccess) {
    this.config = config;
    this.out = out;
    this.err = err;
    this.nativeAccess = nativeAccess;
  }

  /**
   * Checks what a daemon needs; returns the problems, each naming what is missing and the fix.
   *
   * @param nativeAccess whether jnr-posix works in this JVM
   */
  public List<String> requirements(boolean nativeAccess) {
    List<String> problems = new ArrayList<>();
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      problems.add("this is not a POSIX system; jobhost runs on Linux and other Unix systems");
    }
    if (!nativeAccess) {
      problems.add(
          "native access (jnr-posix) does not work in this JVM; start it through bin/jobhost,"
              + " which passes --enable-native-access=ALL-UNNAMED where the JDK asks for it");
    }
    Path launcher = launcher();
    if (!Files.isExecutable(launcher)) {
      problems.add(launcher + " is missing or not executable; reinstall jobhost or chmod +x it");
    }
    check(problems, "log_dir", config.dirs().logs());
    check(problems, "state_dir", config.dirs().state());
    check(problems, "run_dir", config.dirs().run());
    check(
        problems, "pid_file's directory", config.service().pidFile().toAbsolutePath().getParent());
    return problems;
  }

  private static void check(List<String> problems, String key, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      problems.add(
          key
              + " "
              + dir
              + " cannot be created ("
              + e.getMessage()
              + "); create it or change "
              + key);
      return;
    }
    if (!Files.isWritable(dir)) {
      problems.add(
          key + " " + dir + " is not writable; chown it to the daemon's user or change it");
    }
  }

  /** The launcher script. */
  Path launcher() {
    return config.dirs().home().resolve("bin").resolve("jobhost");
  }

  /**
   * Spawns the daemon and waits for it.
   *
   * @param runArgs the arguments after {@code run} (config, overrides)
   * @param timeout how long it may take to become ready
   * @return 0 when it runs, 1 when it failed to start
   */
  public int start(List<String> runArgs, Duration timeout) throws IOException {
    Path outFile = config.dirs().logs().resolve(OUT_FILE);
    OutFile sink = OutFile.open(config, outFile, nativeAccess);
    try {
      return start(runArgs, timeout, outFile, sink);
    } finally {
      sink.close();
    }
  }

  private int start(List<String> runArgs, Duration timeout, Path outFile, OutFile sink)
      throws IOException {
    long offset = sink.size();
    List<String> command = new ArrayList<>();
    command.add(Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid");
    command.add(launcher().toString());
    command.add("run");
    command.add("--daemonized");
    command.addAll(runArgs);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(Path.of("/").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(sink.path().toFile()))
            .redirectErrorStream(true);
    pb.environment().remove("NOTIFY_SOCKET");
    Process child = pb.start();
    ControlClient client =
        new ControlClient(
            config.dirs().run().resolve(ControlProtocol.SOCKET_NAME), config.service().user());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        err.println(
            "jobhost: the daemon failed to start (exit code " + child.exitValue() + "); it said:");
        for (String line : tail(sink.path(), offset)) {
          err.println("  " + line);
        }
        err.println("(full output in " + outFile + ")");
        return 1;
      }
      if (ready(client, child.pid())) {
        out.println("jobhost started (pid " + child.pid() + ")");
        return 0;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
    err.println(
        "jobhost: the daemon (pid "
            + child.pid()
            + ") did not become ready within "
            + timeout.toSeconds()
            + " s; it is left running. See "
            + outFile
            + " and "
            + config.dirs().logs().resolve("jobhost.log")
            + ", and stop it with 'jobhost stop'");
    return 1;
  }

  private static boolean ready(ControlClient client, long pid) {
    if (!client.present()) {
      return false;
    }
    try {
      ControlProtocol a = client.request("status", Duration.ofSeconds(2));
      String state = a.fields().getOrDefault("state", "");
      return a.ok()
          && Long.toString(pid).equals(a.fields().get("pid"))
          && (state.equals("running") || state.equals("paused"));
    } catch (IOException e) {
      return false;
    }
  }

  /** What the child wrote since {@code offset}: its own "jobhost:" lines, else the last lines. */
  static List<String> tail(Path file, long offset) throws IOException {
    List<String> lines = new ArrayList<>();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(Math.min(offset, f.length()));
      byte[] b = new byte[(int) Math.min(f.length() - f.getFilePointer(), 1 << 20)];
      f.readFully(b);
      lines.addAll(new String(b, StandardCharsets.UTF_8).lines().toList());
    }
    List<String> own =
        lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("jobhost:")).toList();
    if (!own.isEmpty()) {
      return own;
    }
    return lines.subList(Math.max(0, lines.size() - 20), lines.size());
  }
}
