package org.jobhost.dist.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins loaded, replaced and removed in a running daemon, with {@code jobhost plugins reload} and
 * with HUP: the bundled spool plugin is the job source, the test plugin {@code hot} (see {@link
 * HotPlugin}) runs the jobs of type {@code hot} and hooks USR2.
 */
class HotPluginsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Path plugins;
  private Path build;
  private Path state;
  private Path config;

  @BeforeEach
  void setUp() throws IOException {
    plugins = Files.createDirectories(dir.resolve("plugins"));
    build = Files.createDirectories(dir.resolve("build"));
    state = dir.resolve("var");
    Files.copy(Tree.root().resolve("plugins/spool.jar"), plugins.resolve("spool.jar"));
    config =
        HostConfig.bare(
                dir,
                plugins,
                "idle_time = \"200ms\"",
                "grace_timeout = \"30s\"",
                "kill_timeout = \"2s\"",
                "max_workers = 4",
                "",
                "[plugins.spool]",
                "dir = \"" + dir.resolve("spool") + "\"",
                "min_age = \"0s\"")
            .file();
  }

  private HostProcess start() {
    return HostProcess.start(config, dir.resolve("out-" + System.nanoTime() + ".log"));
  }

  /** Drops a spool job of type {@code hot} that sleeps {@code sleepMs}. */
  private void job(String name, long sleepMs) {
    SpoolFiles.drop(
        dir.resolve("spool"),
        name + ".json",
        "{\"type\": \"hot\", \"params\": {\"sleep_ms\": \"" + sleepMs + "\"}}");
  }

  private List<String> ran() {
    return HotPlugin.lines(state, "ran.log");
  }

  private void awaitRan(String job, String version) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(ran()).anyMatch(l -> l.matches("ran " + job + "\\S* " + version)));
  }

  private static List<String> openFiles(long pid) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          out.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException closed) {
          // closed meanwhile
        }
      }
    }
    return out;
  }

  @Test
  void aJarDroppedIntoARunningDaemonRunsItsJobsAndItsHookFiresAfterPluginsReload()
      throws Exception {
    try (HostProcess host = start()) {
      HotPlugin.drop(HotPlugin.build("1.0.0", build), plugins);

      Cli reload = Cli.jobhost(config, "plugins", "reload");

      assertThat(reload.code()).as(reload.err()).isZero();
      assertThat(reload.out()).contains("loaded hot 1.0.0 from " + plugins.resolve("hot.jar"));
      job("first", 0);
      awaitRan("first", "1.0.0");
      host.signal("USR2");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(HotPlugin.lines(state, "hook.log")).containsExactly("hook 1.0.0"));
      assertThat(HotPlugin.lines(state, "listener.log"))
          .containsExactly("loaded hot 1.0.0 seen by 1.0.0");
      Cli list = Cli.jobhost(config, "plugins");
      assertThat(list.out())
          .startsWith("plugins as loaded by the running daemon")
          .containsPattern("hot +1\\.0\\.0 +loaded +" + plugins.resolve("hot.jar"));
      assertThat(host.log()).contains("plugins: loaded hot 1.0.0 from");
    }
  }

  @Test
  void aJarReplacedWithAJobRunningLetsItFinishOnTheOldCodeAndRunsTheRestOnTheNew()
      throws Exception {
    HotPlugin.drop(HotPlugin.build("1.0.0", build), plugins);
    Path v2 = HotPlugin.build("2.0.0", build);
    try (HostProcess host = start()) {
      job("slow", 4000);
      await().atMost(WAIT).until(() -> started("slow"));
      HotPlugin.drop(v2, plugins);

      host.signal("HUP");
      host.awaitLog("plugins [hot]: waiting", WAIT);
      for (int i = 1; i <= 3; i++) {
        job("queued" + i, 0);
      }

      awaitRan("slow", "1.0.0");
      for (int i = 1; i <= 3; i++) {
        awaitRan("queued" + i, "2.0.0");
      }
      assertThat(ran()).noneMatch(l -> l.startsWith("start queued") && l.endsWith("1.0.0"));
      assertThat(host.log()).contains("plugins: replaced hot 1.0.0 by 2.0.0");
      assertThat(HotPlugin.lines(state, "listener.log"))
          .containsExactly("unloaded hot 1.0.0 seen by 2.0.0", "loaded hot 2.0.0 seen by 2.0.0");
      host.signal("USR2");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(HotPlugin.lines(state, "hook.log")).containsExactly("hook 2.0.0"));
    }
  }

  private boolean started(String job) {
    return ran().stream().anyMatch(l -> l.startsWith("start " + job));
  }

  @Test
  void workerJvmsAreRecycledAndRunTheNewVersionAfterAReplace() throws Exception {
    Files.writeString(
        config,
        "\n[types.hot]\nisolation = \"process\"\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    HotPlugin.drop(HotPlugin.build("1.0.0", build), plugins);
    Path v2 = HotPlugin.build("2.0.0", build);
    try (HostProcess host = start()) {
      job("inworker1", 0);
      awaitRan("inworker1", "1.0.0");
      HotPlugin.drop(v2, plugins);

      Cli reload = Cli.jobhost(config, "plugins", "reload");

      assertThat(reload.code()).as(reload.err()).isZero();
      assertThat(reload.out()).contains("replaced hot 1.0.0 by 2.0.0");
      job("inworker2", 0);
      awaitRan("inworker2", "2.0.0");
      // A worker still busy at the reload is retired, and logged, when its job ends.
      host.awaitLog("recycled because the plugin set changed", WAIT);
    }
  }

  @Test
  void aRemovedJarIsUnloadedAndItsFileReleased() throws Exception {
    HotPlugin.drop(HotPlugin.build("1.0.0", build), plugins);
    try (HostProcess host = start()) {
      job("before", 0);
      awaitRan("before", "1.0.0");
      Files.delete(plugins.resolve("hot.jar"));

      Cli reload = Cli.jobhost(config, "plugins", "reload");

      assertThat(reload.code()).as(reload.err()).isZero();
      assertThat(reload.out()).contains("unloaded hot 1.0.0");
      assertThat(openFiles(host.pid())).noneMatch(f -> f.contains(plugins.resolve("hot.jar") + ""));
      assertThat(Cli.jobhost(config, "plugins").out()).doesNotContain("hot ");
      job("after", 0);
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(host.log()).contains("no runner for job type \"hot\""));
      assertThat(ran()).noneMatch(l -> l.startsWith("ran after"));
    }
  }

  @Test
  void aNewVersionThatFailsToLoadLeavesTheOldOneRunningAndIsReported() throws Exception {
    HotPlugin.drop(HotPlugin.build("1.0.0", build), plugins);
    try (HostProcess host = start()) {
      Path broken = build.resolve("broken.jar");
      Files.writeString(broken, "half a jar");
      HotPlugin.drop(broken, plugins);

      Cli reload = Cli.jobhost(config, "plugins", "reload");

      assertThat(reload.code()).isEqualTo(1);
      assertThat(reload.err())
          .contains(plugins.resolve("hot.jar") + " is not a readable jar")
          .contains("version 1.0.0 keeps running");
      assertThat(host.log()).contains("version 1.0.0 keeps running");
      job("still", 0);
      awaitRan("still", "1.0.0");
      assertThat(Cli.jobhost(config, "plugins").out())
          .containsPattern("hot +1\\.0\\.0 +degraded")
          .contains("keeps running");
    }
  }

  @Test
  void asRootANewJarAnotherUserCanWriteIsNeverLoadedAndTheOldOneKeepsRunning() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.getOwner(Path.of("/proc/self")).getName().equals("root"), "runs as root");
    HotPlugin.drop(HotPlugin.build("1.0.0", build), plugins);
    Path v2 = HotPlugin.build("2.0.0", build);
    try (HostProcess host = start()) {
      HotPlugin.drop(v2, plugins);
      Files.setPosixFilePermissions(
          plugins.resolve("hot.jar"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));

      host.signal("HUP");

      host.awaitLog("version 1.0.0 keeps running", WAIT);
      assertThat(host.log())
          .contains(plugins.resolve("hot.jar") + " is writable by group or others")
          .doesNotContain("plugins: replaced hot");
      job("safe", 0);
      awaitRan("safe", "1.0.0");
    }
  }
}
