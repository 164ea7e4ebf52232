package org.jobhost.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Builds a real plugin jar in a test: compiles Java sources ({@code --release 17}), writes the
 * manifest ({@code Plugin-Id}, {@code Plugin-Version} 1.0.0 unless set) and {@code
 * META-INF/services} files. Sources compile against the test's own class path, or against the jars
 * of the assembled tree's {@code lib/} for a plugin built the way an author builds one ({@link
 * #forTree}). Not thread-safe; one builder per jar.
 *
 * <pre>{@code
 * Path jar = PluginJar.forTree("probe")
 *     .source("org.example.ProbeRunner", "package org.example; ...")
 *     .service("JobRunner", "org.example.ProbeRunner")
 *     .build(pluginsDir);
 * }</pre>
 */
public final class PluginJar {

  private static final String API = "org.jobhost.api.";

  private final String id;
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, String> resources = new LinkedHashMap<>();
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final Map<String, List<String>> services = new LinkedHashMap<>();
  private Path lib;
  private boolean annotationProcessing;

  /**
   * A jar of the plugin {@code id} compiled against the test class path.
   *
   * @param id the plugin id, or null for a jar without {@code Plugin-Id}
   */
  public PluginJar(String id) {
    this.id = id;
    if (id != null) {
      manifest.put("Plugin-Id", id);
    }
    manifest.put("Plugin-Version", "1.0.0");
  }

  /** A jar of the plugin {@code id} compiled against the jars of the tree's {@code lib/}. */
  public static PluginJar forTree(String id) {
    return new PluginJar(id).compiledAgainst(Tree.lib());
  }

  /** Compiles against the jars of {@code libDir} instead of the test class path. */
  public PluginJar compiledAgainst(Path libDir) {
    this.lib = libDir;
    return this;
  }

  /** Sets {@code Plugin-Version}. */
  public PluginJar version(String version) {
    return manifest("Plugin-Version", version);
  }

  /** Sets a manifest attribute, or removes it when {@code value} is null. */
  public PluginJar manifest(String key, String value) {
    if (value == null) {
      manifest.remove(key);
    } else {
      manifest.put(key, value);
    }
    return this;
  }

  /** Adds the source of the class {@code className}. */
  public PluginJar source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /**
   * Lists classes in {@code META-INF/services/<point>}; a simple name such as {@code "JobSource"}
   * means the extension point of that name in {@code org.jobhost.api}.
   */
  public PluginJar service(String point, String... classNames) {
    String name = point.contains(".") ? point : API + point;
    services.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(classNames));
    return this;
  }

  /** Adds a text file at {@code path} in the jar. */
  public PluginJar resource(String path, String text) {
    resources.put(path, text);
    return this;
  }

  /** Runs the annotation processors on the class path (such as pf4j's {@code @Extension}). */
  public PluginJar withAnnotationProcessing() {
    annotationProcessing = true;
    return this;
  }

  /** Compiles and writes {@code <dir>/<id>.jar}; returns its path. */
  public Path build(Path dir) throws IOException {
    if (id == null) {
      throw new IllegalStateException("a jar without Plugin-Id needs a file name: use writeTo");
    }
    Files.createDirectories(dir);
    return writeTo(dir.resolve(id + ".jar"));
  }

  /** Compiles and writes the jar to {@code file} (replaced in one step); returns {@code file}. */
  public Path writeTo(Path file) throws IOException {
    Path classes = Files.createTempDirectory("plugin-classes");
    if (!sources.isEmpty()) {
      compile(classes);
    }
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach(a::putValue);
    Map<String, String> entries = new LinkedHashMap<>();
    services.forEach((point, names) -> entries.put("META-INF/services/" + point, lines(names)));
    entries.putAll(resources);
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        JarOutputStream out = new JarOutputStream(os, mf)) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(classes)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String lines(List<String> names) {
    return String.join("\n", names) + "\n";
  }

  private void compile(Path classes) throws IOException {
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
    List<String> options =
        new ArrayList<>(
            List.of("--release", "17", "-classpath", classPath(), "-d", classes.toString()));
    if (!annotationProcessing) {
      options.add("-proc:none");
    }
    StringWriter diagnostics = new StringWriter();
    if (!javac.getTask(diagnostics, null, null, options, null, units).call()) {
      throw new IllegalStateException("plugin " + id + " does not compile:\n" + diagnostics);
    }
  }

  private String classPath() throws IOException {
    if (lib == null) {
      return System.getProperty("java.class.path");
    }
    try (Stream<Path> jars = Files.list(lib)) {
      return String.join(
          File.pathSeparator,
          jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toList());
    }
  }
}
