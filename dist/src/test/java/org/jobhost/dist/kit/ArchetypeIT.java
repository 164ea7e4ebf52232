package org.jobhost.dist.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jobhost.api.Signal;
import org.jobhost.testkit.PluginHarness;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plugin author's way, from an empty directory outside this repository, with only the installed
 * kit and an offline Maven: generate a plugin from the archetype, build it (its test-kit test
 * runs), drop the jar into the plugins directory of a daemon already running (a copy of the
 * assembled tree's plugins), load it with {@code jobhost plugins reload}, no restart, and see the
 * daemon run its jobs and its hook answer a real {@code kill -WINCH}. And the README's "Write a
 * plugin" example, taken from README.md itself, builds and loads.
 */
class ArchetypeIT {

  private static final Duration JOB_WAIT = Duration.ofSeconds(60);
  private static final Pattern README_FILE =
      Pattern.compile("<!-- file: (\\S+) -->\\n```[a-z]*\\n(.*?)\\n```\\n", Pattern.DOTALL);

  private static Path repositoryDir;
  private static NestedMaven maven;
  private Path work;

  @BeforeAll
  static void localRepositoryOfTheKitAndWhatTheOuterBuildFetched() throws IOException {
    repositoryDir = Files.createTempDirectory("jobhost-kit-m2-");
    long t0 = System.nanoTime();
    maven = NestedMaven.seed(repositoryDir);
    System.out.printf("seeded %s in %d ms%n", repositoryDir, (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void removeTheRepository() throws IOException {
    delete(repositoryDir);
  }

  @BeforeEach
  void emptyDirectoryOutsideTheRepository() throws IOException {
    work = Files.createTempDirectory("jobhost-kit-");
    assertThat(work.startsWith(NestedMaven.root())).isFalse();
  }

  @AfterEach
  void cleanUp() throws IOException {
    delete(work);
  }

  private static void delete(Path dir) throws IOException {
    if (dir != null && Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aPluginGeneratedFromTheArchetypeRunsItsJobsAndItsHookInTheDaemon() throws Exception {
    Path projects = Files.createDirectories(work.resolve("projects"));
    NestedMaven.Run gen =
        maven.run(
            projects,
            work.resolve("generate.log"),
            "org.apache.maven.plugins:maven-archetype-plugin:"
                + System.getProperty("kit.archetypePluginVersion", "3.4.1")
                + ":generate",
            "-DinteractiveMode=false",
            "-DarchetypeGroupId=org.jobhost",
            "-DarchetypeArtifactId=jobhost-plugin-archetype",
            "-DarchetypeVersion=" + NestedMaven.version(),
            "-DgroupId=com.example",
            "-DartifactId=greeter",
            "-Dversion=1.0.0",
            "-Dpackage=com.example.greeter");
    assertThat(gen.code()).as("archetype:generate\n%s", gen.output()).isZero();
    Path project = projects.resolve("greeter");

    NestedMaven.Run build = maven.run(project, work.resolve("greeter-build.log"), "package");

    assertThat(build.code())
        .as("mvn package of the generated project\n%s", build.output())
        .isZero();
    assertThat(build.output()).contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0");
    try (Stream<Path> jars = Files.list(project.resolve("target"))) {
      assertThat(jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")))
          .as("target/*.jar is the plugin alone (the unshaded original is in target/shade/)")
          .containsExactly("greeter-1.0.0.jar");
    }
    Path jar = project.resolve("target/greeter-1.0.0.jar");

    Path plugins = Files.createDirectories(work.resolve("plugins"));
    try (Stream<Path> bundled = Files.list(Tree.root().resolve("plugins"))) {
      for (Path p : bundled.toList()) {
        Files.copy(p, plugins.resolve(p.getFileName()));
      }
    }
    Path config = config(plugins, "[plugins.greeter]\ncount = 2\nnames = [\"Ada\", \"Linus\"]\n");

    try (HostProcess host = HostProcess.start(config, work.resolve("daemon.out"))) {
      Path tmp = plugins.resolve(".greeter.jar.tmp");
      Files.copy(jar, tmp);
      Files.move(tmp, plugins.resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);

      Cli reload = Cli.jobhost(config, "plugins", "reload");

      assertThat(reload.code()).as(reload.err()).isZero();
      assertThat(reload.out())
          .contains("loaded greeter 1.0.0 from " + plugins.resolve(jar.getFileName()));
      host.awaitLog("job=greeter-1 greeted: {\"greeting\":\"hello, Ada\",\"attempt\":1}", JOB_WAIT);
      host.awaitLog(
          "job=greeter-2 greeted: {\"greeting\":\"hello, Linus\",\"attempt\":1}", JOB_WAIT);
      host.awaitLog("job=greeter-2 succeeded", JOB_WAIT);

      host.signal("WINCH");

      host.awaitLog("greeter hook on SIGWINCH: completed 2 jobs, succeeded 2", JOB_WAIT);
      assertThat(host.log()).doesNotContain("NoClassDefFoundError");
    }
  }

  @Test
  void theReadmeExampleBuildsWithItsTestAndLoadsAsThePluginItClaims() throws Exception {
    String readme =
        Files.readString(NestedMaven.root().resolve("README.md"), StandardCharsets.UTF_8);
    Map<String, String> files = new LinkedHashMap<>();
    Matcher m = README_FILE.matcher(readme);
    while (m.find()) {
      files.put(m.group(1), m.group(2) + "\n");
    }
    assertThat(files.keySet())
        .containsExactly(
            "pom.xml",
            "src/main/java/com/example/WinchReport.java",
            "src/main/resources/META-INF/services/org.jobhost.api.SignalHook",
            "src/test/java/com/example/WinchReportTest.java");
    Path project = Files.createDirectories(work.resolve("winch-report"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = project.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
    }

    NestedMaven.Run build = maven.run(project, work.resolve("readme-build.log"), "package");

    assertThat(build.code()).as("mvn package of the README example\n%s", build.output()).isZero();
    assertThat(build.output()).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
    Path jar = project.resolve("target/winch-report-1.0.0.jar");
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      h.assertNoProblems();
      assertThat(h.pluginId()).isEqualTo("winch-report");
      assertThat(h.signal(Signal.WINCH)).isEqualTo(1);
      assertThat(h.host().calls()).isEmpty();
    }
  }

  private Path config(Path plugins, String tables) throws IOException {
    return HostConfig.bare(
            work,
            plugins,
            "idle_time = \"1s\"",
            "grace_timeout = \"2s\"",
            "kill_timeout = \"2s\"",
            "",
            "[plugins.demo]",
            "enabled = false",
            "",
            "[plugins.cron]",
            "host_name = \"kit-host\"",
            "",
            "[plugins.spool]",
            "dir = \"" + work.resolve("spool") + "\"",
            "",
            tables)
        .file();
  }
}
