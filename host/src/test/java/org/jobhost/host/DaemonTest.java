package org.jobhost.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Lifecycle;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.control.DaemonControl;
import org.jobhost.host.service.ServiceHooks;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's own sequence, run in this JVM: the exit code of each way a start fails, the order in
 * which the service hooks are called, jobs from a plugin's source run to an outcome the source is
 * told, and a stop asked through the host. The host's pom runs this class in a JVM of its own: a
 * daemon installs its signal handlers and its logging for the whole process.
 */
class DaemonTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final Hooks hooks = new Hooks();

  /** Records which service hook was called, in order. */
  private static final class Hooks implements ServiceHooks {
    private final List<String> calls = new ArrayList<>();

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }

    private synchronized void called(String what) {
      calls.add(what);
    }

    @Override
    public void prepare(Config config) {
      called("prepare");
    }

    @Override
    public void starting(Config config, DaemonControl control) {
      called("starting");
    }

    @Override
    public void ready() {
      called("ready");
    }

    @Override
    public void stopping() {
      called("stopping");
    }

    @Override
    public void stopped() {
      called("stopped");
    }
  }

  /**
   * A source of three jobs of type {@code count} that appends each outcome it is told to a file.
   */
  private static final String SOURCE =
      String.join(
          "\n",
          "package acme;",
          "import java.nio.charset.StandardCharsets;",
          "import java.nio.file.*;",
          "import java.util.*;",
          "import org.jobhost.api.*;",
          "public class Three implements JobSource {",
          "  private int left = 3;",
          "  private Path record;",
          "  public void init(PluginContext c) {",
          "    record = Path.of(c.settings().string(\"record\", \"\"));",
          "  }",
          "  public List<Job> poll(int max) {",
          "    List<Job> out = new ArrayList<>();",
          "    for (; left > 0 && out.size() < max; left--) {",
          "      out.add(new Job(\"job-\" + left, \"count\", Map.of()));",
          "    }",
          "    return out;",
          "  }",
          "  public void completed(Job j, Outcome o) throws Exception {",
          "    Files.writeString(record, j.id() + \" \" + o.kind() + \" \" + o.message() + \"\\n\",",
          "        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);",
          "  }",
          "}");

  /** Runs {@code count} jobs; job-2 throws, which must still end it with an outcome. */
  private static final String RUNNER =
      String.join(
          "\n",
          "package acme;",
          "import java.util.*;",
          "import org.jobhost.api.*;",
          "public class Count implements JobRunner {",
          "  public Set<String> types() { return Set.of(\"count\"); }",
          "  public Outcome run(Job j, JobContext c) {",
          "    if (j.id().equals(\"job-2\")) { throw new IllegalStateException(\"no luck\"); }",
          "    return Outcome.succeeded(\"counted \" + j.id());",
          "  }",
          "}");

  private Daemon daemon(Path config, boolean exitWhenIdle) {
    return new Daemon(
        new ConfigLoader(dir, Map.of()),
        config,
        List.of(),
        exitWhenIdle,
        hooks,
        new PrintWriter(err, true));
  }

  private Path emptyPlugins() throws Exception {
    return Files.createDirectories(dir.resolve("plugins"));
  }

  @Test
  void aConfigurationThatDoesNotParseExits78NamingItsFileBeforeAnyHook() throws Exception {
    Path file = dir.resolve("jobhost.toml");
    Files.writeString(file, "idle_time = \n", StandardCharsets.UTF_8);

    assertThat(daemon(file, true).run()).isEqualTo(ExitCodes.CONFIG);

    assertThat(err.toString()).startsWith("jobhost: ").contains(file.toString());
    assertThat(hooks.calls()).isEmpty();
  }

  @Test
  void aStateDirectoryThatCannotBeMadeExits1NamingIt() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path file = dir.resolve("jobhost.toml");
    Files.writeString(
        file,
        HostConfig.directories(dir, emptyPlugins(), blocker.resolve("var"), dir.resolve("logs")),
        StandardCharsets.UTF_8);

    assertThat(daemon(file, true).run()).isEqualTo(ExitCodes.FAILURE);

    assertThat(err.toString()).startsWith("jobhost: ").contains(blocker.toString());
    assertThat(hooks.calls()).containsExactly("prepare");
  }

  @Test
  void withNothingToDoItStartsAndStopsInOrderAndExits0() throws Exception {
    HostConfig cfg = HostConfig.bare(dir, emptyPlugins());
    Daemon daemon = daemon(cfg.file(), true);

    assertThat(daemon.run()).isEqualTo(ExitCodes.OK);

    assertThat(hooks.calls())
        .containsExactly("prepare", "starting", "ready", "stopping", "stopped");
    assertThat(daemon.host().lifecycle()).isEqualTo(Lifecycle.STOPPED);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void jobsFromAPluginSourceEndWithAnOutcomeTheSourceIsToldEvenWhenTheRunnerThrows()
      throws Exception {
    Path plugins = emptyPlugins();
    new PluginJar("acme")
        .source("acme.Three", SOURCE)
        .source("acme.Count", RUNNER)
        .service("JobSource", "acme.Three")
        .service("JobRunner", "acme.Count")
        .build(plugins);
    Path record = dir.resolve("told.txt");
    HostConfig cfg = HostConfig.bare(dir, plugins, "[plugins.acme]", "record = \"" + record + "\"");
    Daemon daemon = daemon(cfg.file(), true);

    assertThat(daemon.run()).isEqualTo(ExitCodes.OK);

    assertThat(Files.readAllLines(record))
        .containsExactlyInAnyOrder(
            "job-3 SUCCEEDED succeeded",
            "job-1 SUCCEEDED succeeded",
            "job-2 FAILED java.lang.IllegalStateException: no luck");
    assertThat(daemon.host().stats().succeeded()).isEqualTo(2);
    assertThat(daemon.host().stats().failed()).isEqualTo(1);
    assertThat(daemon.host().stats().running()).isZero();
  }

  @Test
  void aStopAskedThroughTheHostStopsInOrderAndExits0() throws Exception {
    HostConfig cfg = HostConfig.bare(dir, emptyPlugins());
    Daemon daemon = daemon(cfg.file(), false);
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(daemon::run);

    await().atMost(Duration.ofSeconds(30)).until(() -> hooks.calls().contains("ready"));
    assertThat(daemon.host().lifecycle()).isEqualTo(Lifecycle.RUNNING);
    daemon.host().stop();

    assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(hooks.calls())
        .containsExactly("prepare", "starting", "ready", "stopping", "stopped");
  }

  @Test
  void strictRefusesToStartWithABrokenPluginJarAndExits1() throws Exception {
    Path plugins = emptyPlugins();
    Files.writeString(plugins.resolve("broken.jar"), "not a zip");
    HostConfig cfg = HostConfig.bare(dir, plugins, "strict = true");

    assertThat(daemon(cfg.file(), true).run()).isEqualTo(ExitCodes.FAILURE);

    assertThat(err.toString()).contains("strict = true and 1 plugins have problems");
    assertThat(hooks.calls()).containsExactly("prepare", "starting", "stopped");
  }
}
