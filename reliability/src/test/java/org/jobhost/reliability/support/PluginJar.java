package org.jobhost.reliability.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * A real plugin jar made in a test from one Java source: compiled against the tree's {@code lib/},
 * with {@code Plugin-Id}, {@code Plugin-Version} and one {@code META-INF/services} entry per
 * extension point given. Stateless.
 */
public final class PluginJar {

  private PluginJar() {}

  /**
   * Compiles {@code code} (one top-level public class {@code pkg.Name}, given as {@code className})
   * and writes {@code dir/<id>.jar} listing it under each extension point.
   *
   * @param points simple names of extension points, such as {@code "JobSource"}
   */
  public static Path build(Path dir, String id, String className, String code, String... points)
      throws IOException {
    Path classes = Files.createTempDirectory("reliability-plugin");
    JavaFileObject unit =
        new SimpleJavaFileObject(
            URI.create("string:///" + className.replace('.', '/') + ".java"),
            JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
          }
        };
    String cp;
    try (Stream<Path> jars = Files.list(Tree.root().resolve("lib"))) {
      cp =
          String.join(
              ":", jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).toList());
    }
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        ToolProvider.getSystemJavaCompiler()
            .getTask(
                diagnostics,
                null,
                null,
                List.of("--release", "17", "-classpath", cp, "-d", classes.toString()),
                null,
                List.of(unit))
            .call();
    if (!ok) {
      throw new IllegalStateException("plugin " + id + " does not compile:\n" + diagnostics);
    }
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", id);
    a.putValue("Plugin-Version", "1.0.0");
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + id + ".jar.tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        JarOutputStream out = new JarOutputStream(os, mf)) {
      for (String point : points) {
        out.putNextEntry(new JarEntry("META-INF/services/org.jobhost.api." + point));
        out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      List<Path> files = new ArrayList<>();
      try (Stream<Path> s = Files.walk(classes)) {
        s.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
      for (Path f : files) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    return Files.move(tmp, dir.resolve(id + ".jar"), StandardCopyOption.REPLACE_EXISTING);
  }
}
