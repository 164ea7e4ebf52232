package org.jobhost.host.plugins;

import java.io.IOException;
import java.io.OutputStream;
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
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar in a test: compiles Java sources against the test class path (which
 * holds the plugin API and pf4j), adds a manifest and service files. Not thread-safe.
 */
public final class PluginJar {

  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, String> resources = new LinkedHashMap<>();
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private boolean annotationProcessing;

  public PluginJar(String id) {
    if (id != null) {
      manifest.put("Plugin-Id", id);
    }
    manifest.put("Plugin-Version", "1.0.0");
  }

  public PluginJar manifest(String key, String value) {
    if (value == null) {
      manifest.remove(key);
    } else {
      manifest.put(key, value);
    }
    return this;
  }

  public PluginJar source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /** Lists classes in META-INF/services/org.jobhost.api.{point}. */
  public PluginJar service(String point, String... classNames) {
    resources.put(
        "META-INF/services/org.jobhost.api." + point, String.join("\n", classNames) + "\n");
    return this;
  }

  public PluginJar resource(String path, String text) {
    resources.put(path, text);
    return this;
  }

  public PluginJar withAnnotationProcessing() {
    annotationProcessing = true;
    return this;
  }

  public Path writeTo(Path file) throws IOException {
    Path classes = Files.createTempDirectory("plugin-classes");
    if (!sources.isEmpty()) {
      compile(classes);
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, mf)) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(classes)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(f));
        jar.closeEntry();
      }
      for (Map.Entry<String, String> r : resources.entrySet()) {
        jar.putNextEntry(new JarEntry(r.getKey()));
        jar.write(r.getValue().getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
    return file;
  }

  private void compile(Path out) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
      List<JavaFileObject> units = new ArrayList<>();
      for (Map.Entry<String, String> e : sources.entrySet()) {
        URI uri = URI.create("string:///" + e.getKey().replace('.', '/') + ".java");
        String code = e.getValue();
        units.add(
            new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
              @Override
              public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
              }
            });
      }
      List<String> options =
          new ArrayList<>(
              List.of("--release", "17", "-classpath", System.getProperty("java.class.path")));
      if (!annotationProcessing) {
        options.add("-proc:none");
      }
      java.io.StringWriter diagnostics = new java.io.StringWriter();
      if (!javac.getTask(diagnostics, fm, null, options, null, units).call()) {
        throw new IllegalStateException("test plugin does not compile: " + diagnostics);
      }
    }
  }
}
