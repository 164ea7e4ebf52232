package org.jobhost.dist.service;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.PluginJar;
import org.jobhost.testsupport.Procs;
import org.jobhost.testsupport.Tree;

/**
 * One daemon's own directories and configuration beside the assembled tree, and the commands run
 * against it. Every pid it sees is killed (KILL as the last resort) by {@link #close()}. Not
 * thread-safe.
 */
public final class Sandbox implements AutoCloseable {

  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

  public final Path dir;
  public final Path config;
  private final List<Long> seen = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();

  Sandbox(Path dir) throws IOException {
    this(dir, "");
  }

  /** A sandbox whose configuration ends with {@code extra} (TOML). */
  public Sandbox(Path dir, String extra) throws IOException {
    this.dir = dir;
    this.config = dir.resolve("jobhost.toml");
    write(extra, Tree.forOtherUsers().resolve("plugins"));
  }

  /** Rewrites the configuration: the sandbox's directories, then {@code extra}. */
  public void write(String extra, Path plugins) throws IOException {
    Files.writeString(
        config,
        HostConfig.directories(dir, plugins)
            + "idle_time = \"100ms\"\n"
            + "grace_timeout = \"2s\"\n"
            + "kill_timeout = \"2s\"\n"
            + extra
            + "\n",
        StandardCharsets.UTF_8);
  }

  /** The PID file. */
  public Path pidFile() {
    return dir.resolve("run").resolve("jobhost.pid");
  }

  /** The daemon's log. */
  public Path log() {
    return dir.resolve("logs").resolve("jobhost.log");
  }

  /** The pid in the PID file, if there is one. */
  public Optional<Long> pid() {
    try {
      String s = Files.readString(pidFile(), StandardCharsets.US_ASCII).trim();
      if (s.isEmpty()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(s);
      if (ours(pid)) {
        seen.add(pid);
      }
      return Optional.of(pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code bin/jobhost <args> --config <sandbox config>} and waits for it. */
  public Cli jobhost(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Tree.forOtherUsers().resolve("bin").resolve("jobhost").toString());
    cmd.addAll(List.of(args));
    cmd.add("--config");
    cmd.add(config.toString());
    return run(cmd, Map.of());
  }

  /** Runs a command and waits for it (bounded), then notes the daemon's pid for clean-up. */
  public Cli run(List<String> cmd, Map<String, String> env) {
    Cli r = Cli.run(cmd, env, COMMAND_TIMEOUT);
    pid();
    return r;
  }

  /** Starts {@code bin/jobhost <args>} in the foreground without waiting (stopped at clean-up). */
  Process spawn(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(args));
    cmd.add("--config");
    cmd.add(config.toString());
    HostProcess.Launch launch =
        HostProcess.command(cmd.toArray(new String[0]))
            .config(config)
            .output(dir.resolve("foreground.out"));
    env.forEach(launch::env);
    Process p = launch.launch().process();
    started.add(p);
    return p;
  }

  /** Remembers a pid to kill at clean-up. */
  public void track(long pid) {
    seen.add(pid);
  }

  /** Kills whatever this sandbox started: TERM, then KILL after a bounded wait. */
  @Override
  public void close() {
    pid();
    List<ProcessHandle> left = new ArrayList<>();
    for (Process p : started) {
      left.add(p.toHandle());
    }
    for (long pid : seen) {
      ProcessHandle.of(pid).ifPresent(left::add);
    }
    for (ProcessHandle h : left) {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    }
    for (ProcessHandle h : left) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // reaped by init later; nothing more to do
      }
    }
  }

  /** Whether {@code pid} is a jobhost of this sandbox (so that clean-up never kills a stranger). */
  boolean ours(long pid) {
    return Procs.cmdline(pid).contains(config.toString());
  }

  /**
   * Creates {@code dir/plugins} with the tree's command runner and {@link #testPlugin}, the source
   * of one sleeping command job, and returns it.
   */
  static Path oneCommandPlugins(Path dir) throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(Tree.root().resolve("plugins/command.jar"), plugins.resolve("command.jar"));
    testPlugin(plugins.resolve("one-command.jar"));
    return plugins;
  }

  /**
   * Waits (30 s at most) until the daemon {@code pid} has a {@code sleep} among its descendants:
   * the job of {@link #testPlugin} runs.
   */
  static void awaitSleepingChild(long pid) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ProcessHandle.of(pid)
                    .orElseThrow()
                    .descendants()
                    .anyMatch(h -> h.info().command().orElse("").endsWith("sleep")));
  }

  /**
   * A plugin jar compiled against the tree's {@code lib/}, as a third party would build it: a
   * source of one {@code command} job that sleeps and ignores TERM, so its process can be inspected
   * and a stop takes until kill_timeout.
   */
  private static void testPlugin(Path jar) throws IOException {
    PluginJar.forTree("one-command")
        .source(
            "test.OneCommandSource",
            """
            package test;
            import java.util.List;
            import java.util.Map;
            import org.jobhost.api.Job;
            import org.jobhost.api.JobSource;
            public final class OneCommandSource implements JobSource {
              private boolean done;
              @Override public synchronized List<Job> poll(int max) {
                if (done || max < 1) {
                  return List.of();
                }
                done = true;
                return List.of(
                    new Job("sleeper", "command", Map.of("shell", "trap '' TERM; sleep 120")));
              }
            }
            """)
        .service("JobSource", "test.OneCommandSource")
        .writeTo(jar);
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
  }
}
