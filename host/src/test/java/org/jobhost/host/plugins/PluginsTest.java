package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobhost.api.JobSource;
import org.jobhost.api.SignalHook;
import org.jobhost.testsupport.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsTest {

  @TempDir Path dir;

  private static final String SOURCE =
      "package acme;\n"
          + "import java.util.*; import org.jobhost.api.*;\n"
          + "public class Feed implements JobSource {\n"
          + "  public List<Job> poll(int max) { return List.of(); }\n"
          + "}\n";

  private static final String HOOK =
      "package acme;\n"
          + "import java.util.*; import org.jobhost.api.*;\n"
          + "public class Bell implements SignalHook {\n"
          + "  public Set<Signal> signals() { return Set.of(Signal.USR2); }\n"
          + "  public void onSignal(SignalEvent e, Host h) {}\n"
          + "}\n";

  /** Writes plugin acme with {@code feed} as its one source, {@code acme.Feed}, as {@code file}. */
  private Path feedJar(String feed, String file) throws IOException {
    return new PluginJar("acme")
        .source("acme.Feed", feed)
        .service("JobSource", "acme.Feed")
        .writeTo(dir.resolve(file));
  }

  /** Writes plugin acme with {@code feed} as {@code acme.Feed} and the hook {@code acme.Bell}. */
  private void feedAndBellJar(String feed) throws IOException {
    new PluginJar("acme")
        .source("acme.Feed", feed)
        .source("acme.Bell", HOOK)
        .service("JobSource", "acme.Feed")
        .service("SignalHook", "acme.Bell")
        .writeTo(dir.resolve("acme.jar"));
  }

  private PluginReport report(Plugins p, String id) {
    return p.reports().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void jarWithServiceFilesContributesItsExtensionsWithoutAPluginClass() throws IOException {
    feedAndBellJar(SOURCE);

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).extracting(Contribution::pluginId).containsExactly("acme");
    assertThat(p.of(SignalHook.class)).hasSize(1);
    assertThat(report(p, "acme").extensions())
        .containsExactly("JobSource: acme.Feed", "SignalHook: acme.Bell");
    assertThat(report(p, "acme").failed()).isFalse();
  }

  @Test
  void extensionAnnotatedWithPf4jExtensionIsFoundThroughItsIndex() throws IOException {
    String annotated = SOURCE.replace("public class Feed", "@org.pf4j.Extension public class Feed");
    new PluginJar("indexed")
        .source("acme.Feed", annotated)
        .withAnnotationProcessing()
        .writeTo(dir.resolve("indexed.jar"));

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).extracting(Contribution::pluginId).containsExactly("indexed");
  }

  @Test
  void zipPluginWithJarsInLibAndAPropertiesDescriptorLoads() throws IOException {
    Path jar =
        new PluginJar("inner")
            .source("acme.Feed", SOURCE)
            .service("JobSource", "acme.Feed")
            .writeTo(Files.createTempDirectory("zip-parts").resolve("feed.jar"));
    Path zip = dir.resolve("zipped.zip");
    try (java.util.zip.ZipOutputStream out =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("plugin.properties"));
      out.write(
          "plugin.id=zipped\nplugin.version=1.0.0\n"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new java.util.zip.ZipEntry("lib/feed.jar"));
      out.write(Files.readAllBytes(jar));
      out.closeEntry();
    }

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).extracting(Contribution::pluginId).containsExactly("zipped");
  }

  @Test
  void corruptJarIsReportedByFileNameAndTheOthersStillLoad() throws IOException {
    Files.write(dir.resolve("broken.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
    feedJar(SOURCE, "good.jar");

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).hasSize(1);
    PluginReport broken = report(p, "broken.jar");
    assertThat(broken.state()).isEqualTo("failed");
    assertThat(broken.problems().get(0))
        .contains("broken.jar")
        .contains("replace it with a complete copy");
  }

  @Test
  void jarWithoutPluginIdIsReportedWithTheFix() throws IOException {
    new PluginJar(null)
        .source("acme.Feed", SOURCE)
        .service("JobSource", "acme.Feed")
        .writeTo(dir.resolve("anon.jar"));

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(report(p, "anon.jar").problems())
        .singleElement()
        .asString()
        .contains("anon.jar has no Plugin-Id")
        .contains("add Plugin-Id and Plugin-Version");
  }

  @Test
  void listedClassThatIsMissingIsReported() throws IOException {
    new PluginJar("ghost").service("JobSource", "acme.Missing").writeTo(dir.resolve("ghost.jar"));

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(report(p, "ghost").problems())
        .anySatisfy(s -> assertThat(s).contains("class acme.Missing cannot be loaded"));
    assertThat(p.of(JobSource.class)).isEmpty();
  }

  @Test
  void constructorThatThrowsDisablesOnlyThatExtension() throws IOException {
    String throwing =
        SOURCE.replace(
            "public class Feed implements JobSource {",
            "public class Feed implements JobSource {\n public Feed() { throw new IllegalStateException(\"no licence\"); }");
    feedAndBellJar(throwing);

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).isEmpty();
    assertThat(p.of(SignalHook.class)).hasSize(1);
    assertThat(report(p, "acme").problems())
        .singleElement()
        .asString()
        .contains("constructor threw")
        .contains("no licence");
  }

  @Test
  void pluginRequiringANewerApiIsRefusedNamingBothVersions() throws IOException {
    new PluginJar("future")
        .manifest("Plugin-Requires", ">=9.0.0")
        .source("acme.Feed", SOURCE)
        .service("JobSource", "acme.Feed")
        .writeTo(dir.resolve("future.jar"));

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).isEmpty();
    assertThat(report(p, "future").problems())
        .singleElement()
        .asString()
        .contains("requires jobhost plugin API >=9.0.0")
        .contains("provides " + Plugins.API_VERSION);
  }

  @Test
  void pluginThatBundlesItsOwnCopyOfTheApiStillWorks() throws IOException {
    Path apiClass =
        Path.of(JobSource.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .resolve("org/jobhost/api/JobSource.class");
    PluginJar jar =
        new PluginJar("bundler").source("acme.Feed", SOURCE).service("JobSource", "acme.Feed");
    if (Files.isRegularFile(apiClass)) {
      jar.resource(
          "org/jobhost/api/JobSource.class",
          new String(Files.readAllBytes(apiClass), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    jar.writeTo(dir.resolve("bundler.jar"));

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobSource.class)).hasSize(1);
  }

  @Test
  void disabledPluginContributesNothing() throws IOException {
    feedJar(SOURCE, "acme.jar");

    Plugins p = Plugins.load(dir, id -> !id.equals("acme"));

    assertThat(p.of(JobSource.class)).isEmpty();
    assertThat(report(p, "acme").state()).isEqualTo("disabled");
  }

  @Test
  void extensionWhoseInitThrowsIsDroppedAndReported() throws IOException {
    String failing =
        SOURCE.replace(
            "public List<Job> poll",
            "public void init(PluginContext c) { throw new SettingsException(\"plugins.acme.url\", \"plugins.acme.url is required\"); }\n public List<Job> poll");
    feedJar(failing, "acme.jar");
    Plugins p = Plugins.load(dir, id -> true);

    p.initAll(NoDaemonContext::new);

    assertThat(p.of(JobSource.class)).isEmpty();
    assertThat(report(p, "acme").problems())
        .singleElement()
        .asString()
        .contains("failed to start")
        .contains("plugins.acme.url is required");
  }

  @Test
  void missingPluginsDirectoryLoadsNothing() {
    Plugins p = Plugins.load(dir.resolve("absent"), id -> true);
    assertThat(p.reports()).allMatch(r -> r.id().equals(Plugins.HOST_ID));
  }

  @Test
  void asRootAPluginJarOthersCanWriteIsRefusedNamingTheFileAndTheFix() throws IOException {
    Path jar = feedJar(SOURCE, "acme.jar");
    Files.setPosixFilePermissions(
        jar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));

    Plugins p = Plugins.load(dir, id -> true, true);

    assertThat(p.of(JobSource.class)).isEmpty();
    PluginReport r = report(p, "acme.jar");
    assertThat(r.failed()).isTrue();
    assertThat(r.problems().get(0))
        .contains(jar.toString())
        .contains("writable by group or others")
        .contains("chmod go-w " + jar);
  }

  @Test
  void asRootAPluginJarOwnedByAnotherUserIsRefusedWithChownAsTheFix() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(PluginFileSafety.runningAsRoot(), "needs root");
    Path jar = feedJar(SOURCE, "acme.jar");
    Files.setOwner(
        jar, jar.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

    Plugins p = Plugins.load(dir, id -> true, true);

    assertThat(p.of(JobSource.class)).isEmpty();
    assertThat(report(p, "acme.jar").problems().get(0))
        .contains("is owned by nobody")
        .contains("chown root " + jar);
  }

  @Test
  void aPluginJarOnlyRootCanChangeLoadsAsRoot() throws IOException {
    feedJar(SOURCE, "acme.jar");
    org.junit.jupiter.api.Assumptions.assumeTrue(PluginFileSafety.runningAsRoot(), "needs root");

    Plugins p = Plugins.load(dir, id -> true, true);

    assertThat(p.of(JobSource.class)).hasSize(1);
  }
}
