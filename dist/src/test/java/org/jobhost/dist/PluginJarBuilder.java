package org.jobhost.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar in a test: compiles Java sources against the jars of the tree's {@code
 * lib/} (the plugin API and slf4j), writes the manifest ({@code Plugin-Id}, {@code Plugin-Version})
 * and {@code META-INF/services} files. Not thread-safe; one builder per jar.
 *
 * <pre>{@code
 * Path jar = new PluginJarBuilder("probe", "1.0", tree.resolve("lib"))
 *     .source("org.example.ProbeRunner", "package org.example; ...")
 *     .service("org.jobhost.api.JobRunner", "org.example.ProbeRunner")
 *     .build(pluginsDir);
 * }</pre>
 */
public final class PluginJarBuilder {

  private final String id;
  private final String version;
  private final Path lib;
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, List<String>> services = new LinkedHashMap<>();

  /**
   * @param id the plugin id
   * @param version the plugin version
   * @param lib the directory whose jars form the compile class path (the tree's {@code lib/})
   */
  public PluginJarBuilder(String id, String version, Path lib) {
    this.id = id;
    this.version = version;
    this.lib = lib;
  }

  /** Adds a source file for the class {@code className}. */
  public PluginJarBuilder source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /** Lists {@code implementation} in {@code META-INF/services/<point>}. */
  public PluginJarBuilder service(String point, String implementation) {
    services.computeIfAbsent(point, k -> new ArrayList<>()).add(implementation);
    return this;
  }

  /** Compiles and writes {@code <dir>/<id>.jar}; returns its path. */
  public Path build(Path dir) throws IOException {
    Path classes = Files.createTempDirectory("plugin-classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      String code = e.getValue();
      units.add(
          new SimpleJavaFileObject(
              URI.create("string:///" + e.getKey().replace('.', '/') + ".java"),
              JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return code;
            }
          });
    }
    String cp;
    try (Stream<Path> jars = Files.list(lib)) {
      cp =
          String.join(
              java.io.File.pathSeparator,
              jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).toList());
    }
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of("--release", "17", "-classpath", cp, "-d", classes.toString()),
                null,
                units)
            .call();
    if (!ok) {
      throw new IllegalStateException("plugin " + id + " does not compile:\n" + diagnostics);
    }
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", id);
    a.putValue("Plugin-Version", version);
    Files.createDirectories(dir);
    Path jar = dir.resolve(id + ".jar");
    Path tmp = dir.resolve("." + id + ".jar.tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        JarOutputStream out = new JarOutputStream(os, mf)) {
      for (Map.Entry<String, List<String>> s : services.entrySet()) {
        out.putNextEntry(new JarEntry("META-INF/services/" + s.getKey()));
        out.write((String.join("\n", s.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(f));
          out.closeEntry();
        }
      }
    }
    Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return jar;
  }
}
