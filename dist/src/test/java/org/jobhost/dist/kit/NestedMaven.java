package org.jobhost.dist.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Maven as a plugin author outside this repository runs it: offline ({@code -o}), with a local
 * repository of its own that holds what the outer build fetched (hard links to the outer build's
 * local repository, or symbolic links across file systems; copies of the small files Maven
 * rewrites) plus the jobhost kit "installed" from this build's outputs — the flattened POMs and
 * jars of plugin-api, plugin-binding, plugin-testkit and the archetype, and the BOM — as {@code mvn
 * install} would lay them out. The outer repository is never written to. Not thread-safe.
 *
 * <p>Configured by failsafe: {@code kit.root} (this repository), {@code kit.version}, {@code
 * kit.localRepository} (the outer build's), {@code kit.mavenHome}.
 */
final class NestedMaven {

  /** The kit's artifacts: artifactId, module directory, whether it has a jar. */
  private record Staged(String artifactId, String module, boolean jar) {}

  private static final List<Staged> KIT =
      List.of(
          new Staged("jobhost-bom", "bom", false),
          new Staged("jobhost-plugin-api", "plugin-api", true),
          new Staged("jobhost-plugin-binding", "plugin-binding", true),
          new Staged("jobhost-plugin-testkit", "plugin-testkit", true),
          new Staged("jobhost-plugin-archetype", "plugin-archetype", true));

  private static final long TIMEOUT_MINUTES = 5;

  private final Path repository;
  private final Path mvn;

  private NestedMaven(Path repository, Path mvn) {
    this.repository = repository;
    this.mvn = mvn;
  }

  /** This build's version of jobhost. */
  static String version() {
    return property("kit.version");
  }

  /** This repository's root. */
  static Path root() {
    return Path.of(property("kit.root")).toAbsolutePath().normalize();
  }

  /** Seeds a local repository in {@code dir} and returns a Maven that uses it. */
  static NestedMaven seed(Path dir) throws IOException {
    Path outer = Path.of(property("kit.localRepository"));
    Path repo = Files.createDirectories(dir.resolve("repository"));
    linkTree(outer, repo);
    for (Staged s : KIT) {
      stage(s, repo);
    }
    Path mvn = Path.of(property("kit.mavenHome"), "bin", "mvn");
    if (!Files.isExecutable(mvn)) {
      throw new IllegalStateException("no Maven at " + mvn + "; kit.mavenHome is wrong");
    }
    return new NestedMaven(repo, mvn);
  }

  /** What one run printed and how it ended. */
  record Run(int code, String output) {}

  /**
   * Runs {@code mvn -B -o -Dmaven.repo.local=<seeded> args} in {@code workDir}; the output goes to
   * {@code log} too, for a failing test's report.
   */
  Run run(Path workDir, Path log, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(mvn.toString());
    cmd.add("-B");
    cmd.add("-o");
    cmd.add("-Dmaven.repo.local=" + repository);
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("MAVEN_ARGS");
    // Short builds: a JVM that starts fast matters more than peak speed.
    pb.environment().putIfAbsent("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "mvn " + String.join(" ", args) + " ran past " + TIMEOUT_MINUTES + " min:\n" + tail(log));
    }
    System.out.printf(
        "mvn %s: exit %d in %d ms%n",
        String.join(" ", args), p.exitValue(), (System.nanoTime() - t0) / 1_000_000);
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** The last lines of a log, for a message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static void stage(Staged s, Path repo) throws IOException {
    String v = version();
    Path module = root().resolve(s.module());
    Path target = module.resolve("target");
    Path dest =
        Files.createDirectories(repo.resolve("org/jobhost").resolve(s.artifactId()).resolve(v));
    Path pom = s.jar() ? target.resolve("flattened-pom.xml") : module.resolve("pom.xml");
    copy(pom, dest.resolve(s.artifactId() + "-" + v + ".pom"));
    if (s.jar()) {
      copy(
          target.resolve(s.artifactId() + "-" + v + ".jar"),
          dest.resolve(s.artifactId() + "-" + v + ".jar"));
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isRegularFile(from)) {
      throw new IllegalStateException(
          from
              + " is missing: build the kit first (mvn package -pl dist -am, or mvn verify from the"
              + " root)");
    }
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Mirrors {@code from} into {@code to} with links, leaving out jobhost's own artifacts. */
  private static void linkTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new IllegalStateException("kit.localRepository " + from + " is not a directory");
    }
    Path own = from.resolve("org/jobhost");
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (dir.equals(own)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String name = file.getFileName().toString();
            if (name.endsWith(".lastUpdated") || name.equals("resolver-status.properties")) {
              return FileVisitResult.CONTINUE;
            }
            Path link = to.resolve(from.relativize(file).toString());
            if (name.equals("_remote.repositories") || name.startsWith("maven-metadata")) {
              // Small files Maven may rewrite in place: copies, so the outer ones stay as they are.
              Files.copy(file, link, StandardCopyOption.REPLACE_EXISTING);
              return FileVisitResult.CONTINUE;
            }
            try {
              Files.createLink(link, file);
            } catch (FileAlreadyExistsException e) {
              return FileVisitResult.CONTINUE;
            } catch (IOException | UnsupportedOperationException e) {
              Files.createSymbolicLink(link, file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Reads a failsafe-set property. */
  private static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + name
              + " is not set; run the test through failsafe (mvn verify -pl dist)");
    }
    return v;
  }
}
