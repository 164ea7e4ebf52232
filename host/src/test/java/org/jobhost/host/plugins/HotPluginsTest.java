package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.testsupport.PluginJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotPluginsTest {

  @TempDir Path dir;
  @TempDir Path build;

  private final FakeDaemon daemon = new FakeDaemon();
  private final HotPlugins.Settings settings =
      new HotPlugins.Settings(
          null, id -> true, id -> null, Duration.ofMillis(200), Duration.ofMillis(100));

  /** A runner of type "echo", a source and a listener; each call is written to a property. */
  private static String plugin(String version) {
    return "package acme;\n"
        + "import java.util.*; import org.jobhost.api.*;\n"
        + "public class Echo implements JobRunner, JobSource, HostListener {\n"
        + "  static void note(String what) {\n"
        + "    String k = \"hot.test\";\n"
        + "    System.setProperty(k, System.getProperty(k, \"\") + what + \" \");\n"
        + "  }\n"
        + "  public void init(PluginContext c) { note(\"init-"
        + version
        + "\"); }\n"
        + "  public void close() { note(\"close-"
        + version
        + "\"); }\n"
        + "  public Set<String> types() { return Set.of(\"echo\"); }\n"
        + "  public Outcome run(Job j, JobContext c) { return Outcome.succeeded(); }\n"
        + "  public List<Job> poll(int max) { return List.of(); }\n"
        + "  public void started(Host h) { note(\"started-"
        + version
        + "\"); }\n"
        + "  public void pluginLoaded(Host h, PluginState p) {\n"
        + "    note(\"loaded-\" + p.id() + \"-\" + p.version() + \"-seen-by-"
        + version
        + "\");\n"
        + "  }\n"
        + "  public void pluginUnloaded(Host h, PluginState p) {\n"
        + "    note(\"unloaded-\" + p.id() + \"-\" + p.version() + \"-seen-by-"
        + version
        + "\");\n"
        + "  }\n"
        + "}\n";
  }

  private Path jar(String id, String version) throws IOException {
    Path built =
        new PluginJar(id)
            .manifest("Plugin-Version", version)
            .source("acme.Echo", plugin(version))
            .service("JobRunner", "acme.Echo")
            .service("JobSource", "acme.Echo")
            .service("HostListener", "acme.Echo")
            .writeTo(build.resolve(id + "-" + version + ".jar"));
    return built;
  }

  /** Puts a file into the plugins directory as an operator should: a rename over the old one. */
  private Path drop(Path file, String name) throws IOException {
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
    return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String notes() {
    return System.getProperty("hot.test", "");
  }

  @AfterEach
  void clearNotes() {
    System.clearProperty("hot.test");
  }

  private Plugins start() {
    Plugins live = Plugins.load(dir, id -> true, false);
    live.initAll(NoDaemonContext::new);
    return live;
  }

  /** Starts the plugins with acme 1.0.0 installed, then clears the notes of its start. */
  private Plugins startWithAcme() throws IOException {
    drop(jar("acme", "1.0.0"), "acme.jar");
    Plugins live = start();
    System.clearProperty("hot.test");
    return live;
  }

  private HotPlugins hot(Plugins live, boolean asRoot) {
    return new HotPlugins(live, daemon, NoDaemonContext::new, Set.of("run"), asRoot);
  }

  private HotPlugins.Outcome rescan(HotPlugins hot) throws InterruptedException {
    return hot.rescan(
        new HotPlugins.Settings(
            dir, settings.enabled(), settings.chosenFile(), settings.grace(), settings.kill()));
  }

  @Test
  void aNewJarIsLoadedInitialisedBoundAndItsListenerStarted() throws Exception {
    Plugins live = start();
    drop(jar("acme", "1.0.0"), "acme.jar");

    HotPlugins.Outcome o = rescan(hot(live, false));

    assertThat(o.ok()).as(o.failures().toString()).isTrue();
    assertThat(o.changes()).containsExactly("loaded acme 1.0.0 from " + dir.resolve("acme.jar"));
    assertThat(daemon.types).contains("echo");
    assertThat(daemon.sources).extracting(Contribution::pluginId).contains("acme");
    assertThat(notes()).isEqualTo("init-1.0.0 loaded-acme-1.0.0-seen-by-1.0.0 started-1.0.0 ");
    assertThat(live.report("acme").state()).isEqualTo("loaded");
    assertThat(daemon.held).isEmpty();
  }

  @Test
  void aRemovedJarIsHeldDrainedClosedUnloadedAndListenersAreTold() throws Exception {
    drop(jar("acme", "1.0.0"), "acme.jar");
    drop(jar("other", "1.0.0"), "other.jar");
    Plugins live = start();
    HotPlugins hot = hot(live, false);
    rescan(hot);
    daemon.types = Set.of("echo");
    System.clearProperty("hot.test");
    Files.delete(dir.resolve("acme.jar"));

    HotPlugins.Outcome o = rescan(hot);

    assertThat(o.changes()).containsExactly("unloaded acme 1.0.0 from " + dir.resolve("acme.jar"));
    assertThat(daemon.held).containsExactly(Set.of("acme"));
    assertThat(daemon.heldSources).extracting(Contribution::pluginId).containsOnly("other");
    assertThat(daemon.drained).isTrue();
    assertThat(notes()).isEqualTo("close-1.0.0 unloaded-acme-1.0.0-seen-by-1.0.0 ");
    assertThat(live.report("acme")).isNull();
    assertThat(openFiles()).noneMatch(f -> f.contains(dir.resolve("acme.jar").toString()));
    assertThat(live.of(JobRunner.class))
        .extracting(Contribution::pluginId)
        .contains("other")
        .doesNotContain("acme");
  }

  @Test
  void jobsStillRunningAfterTheGraceTimeAreStoppedBeforeTheirPluginIsClosed() throws Exception {
    HotPlugins hot = hot(startWithAcme(), false);
    daemon.jobsEndOnlyWhenStopped = true;
    Files.delete(dir.resolve("acme.jar"));

    rescan(hot);

    assertThat(daemon.stopped).isEqualTo(1);
    assertThat(notes()).contains("close-1.0.0");
  }

  @Test
  void aChangedJarIsDrainedAndReplacedAndListenersSeeBothVersions() throws Exception {
    Plugins live = startWithAcme();
    HotPlugins hot = hot(live, false);
    drop(jar("acme", "2.0.0"), "acme.jar");

    HotPlugins.Outcome o = rescan(hot);

    assertThat(o.ok()).as(o.failures().toString()).isTrue();
    assertThat(o.changes())
        .containsExactly("replaced acme 1.0.0 by 2.0.0 from " + dir.resolve("acme.jar"));
    assertThat(daemon.held).hasSize(1);
    assertThat(notes())
        .isEqualTo(
            "close-1.0.0 init-2.0.0 unloaded-acme-1.0.0-seen-by-2.0.0"
                + " loaded-acme-2.0.0-seen-by-2.0.0 started-2.0.0 ");
    assertThat(live.report("acme").version()).isEqualTo("2.0.0");
  }

  @Test
  void aNewVersionThatDoesNotLoadLeavesTheOldOneRunningAndSaysWhy() throws Exception {
    Plugins live = startWithAcme();
    HotPlugins hot = hot(live, false);
    Path broken = build.resolve("broken.jar");
    Files.writeString(broken, "not a jar");
    drop(broken, "acme.jar");

    HotPlugins.Outcome o = rescan(hot);

    assertThat(o.ok()).isFalse();
    assertThat(o.failures())
        .singleElement()
        .asString()
        .contains(dir.resolve("acme.jar") + " is not a readable jar")
        .contains("version 1.0.0 keeps running");
    assertThat(daemon.held).isEmpty();
    assertThat(notes()).isEmpty();
    assertThat(live.report("acme").version()).isEqualTo("1.0.0");
    assertThat(live.report("acme").problems()).anyMatch(p -> p.contains("keeps running"));

    drop(jar("acme", "1.0.1"), "acme.jar");
    HotPlugins.Outcome fixed = rescan(hot);

    assertThat(fixed.ok()).as(fixed.failures().toString()).isTrue();
    assertThat(live.report("acme").version()).isEqualTo("1.0.1");
    assertThat(live.report("acme").problems()).isEmpty();
  }

  @Test
  void asRootAJarAnotherUserCanWriteIsNeverLoadedAndTheOldVersionKeepsRunning() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path v1 = drop(jar("acme", "1.0.0"), "acme.jar");
    Files.setPosixFilePermissions(v1, PosixFilePermissions.fromString("rw-r--r--"));
    org.junit.jupiter.api.Assumptions.assumeTrue(PluginFileSafety.runningAsRoot());
    Plugins live = Plugins.load(dir, id -> true, true);
    live.initAll(NoDaemonContext::new);
    HotPlugins hot = hot(live, true);
    System.clearProperty("hot.test");
    Path v2 = drop(jar("acme", "2.0.0"), "acme.jar");
    Files.setPosixFilePermissions(v2, PosixFilePermissions.fromString("rw-rw-rw-"));

    HotPlugins.Outcome o = rescan(hot);

    assertThat(o.failures())
        .singleElement()
        .asString()
        .contains("is writable by group or others")
        .contains("version 1.0.0 keeps running");
    assertThat(notes()).isEmpty();
    assertThat(live.report("acme").version()).isEqualTo("1.0.0");
  }

  @Test
  void afterManyReloadCyclesNoPluginClassLoaderIsLeftReachable() throws Exception {
    Plugins live = start();
    HotPlugins hot = hot(live, false);
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    Path v1 = jar("acme", "1.0.0");
    Path v2 = jar("acme", "2.0.0");
    for (int i = 0; i < 20; i++) {
      drop(i % 2 == 0 ? v1 : v2, "acme.jar");
      rescan(hot);
      loaders.add(new WeakReference<>(acmeRunner(live).getClass().getClassLoader()));
    }
    Files.delete(dir.resolve("acme.jar"));
    rescan(hot);
    assertThat(live.of(JobRunner.class)).extracting(Contribution::pluginId).doesNotContain("acme");

    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (loaders.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < end) {
      System.gc();
      Thread.sleep(50);
    }

    assertThat(loaders).allMatch(r -> r.get() == null, "collected");
  }

  /** What this process's file descriptors point to. */
  private static List<String> openFiles() throws IOException {
    List<String> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          out.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    return out;
  }

  private static JobRunner acmeRunner(Plugins live) {
    return live.of(JobRunner.class).stream()
        .filter(c -> c.pluginId().equals("acme"))
        .findFirst()
        .orElseThrow()
        .extension();
  }

  /** Records what the rescan asked of the daemon; no job runs unless told. */
  static final class FakeDaemon implements HotPlugins.Running {
    final List<Set<String>> held = new ArrayList<>();
    List<Contribution<JobSource>> heldSources = List.of();
    List<Contribution<JobSource>> sources = List.of();
    Set<String> types = Set.of();
    boolean drained;
    boolean jobsEndOnlyWhenStopped;
    int stopped;

    @Override
    public Host host() {
      return null;
    }

    @Override
    public boolean stopping() {
      return false;
    }

    @Override
    public Set<String> typesOf(Set<String> pluginIds) {
      return pluginIds;
    }

    @Override
    public void hold(Set<String> t, List<Contribution<JobSource>> s) {
      held.add(t);
      heldSources = s;
    }

    @Override
    public boolean awaitNone(BiPredicate<Job, String> which, Duration max) {
      drained = true;
      return !jobsEndOnlyWhenStopped || stopped > 0;
    }

    @Override
    public int stopWhere(BiPredicate<Job, String> which) {
      return ++stopped;
    }

    @Override
    public int returnBacklogOf(String pluginId) {
      return 0;
    }

    @Override
    public void listeners(List<Contribution<HostListener>> listeners) {}

    @Override
    public void bind(
        List<Contribution<JobSource>> s,
        Bindings bindings,
        List<Contribution<HostListener>> listeners) {
      sources = s;
      types = Set.copyOf(bindings.runners().keySet());
    }

    @Override
    public void tell(
        List<Contribution<HostListener>> to, String what, Consumer<HostListener> call) {
      to.forEach(l -> call.accept(l.extension()));
    }

    @Override
    public void recycleWorkers(String why) {}
  }
}
