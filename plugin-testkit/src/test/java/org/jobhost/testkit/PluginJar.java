package org.jobhost.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes a plugin jar from compiled test classes, for tests of the harness. */
final class PluginJar {
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final Map<String, byte[]> entries = new LinkedHashMap<>();

  PluginJar(String id) {
    if (id != null) {
      manifest.put("Plugin-Id", id);
      manifest.put("Plugin-Version", "1.0.0");
    }
  }

  PluginJar withClass(Class<?> type) throws IOException {
    String name = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
      entries.put(name, in.readAllBytes());
    }
    return this;
  }

  PluginJar withService(Class<?> point, Class<?>... types) {
    StringBuilder sb = new StringBuilder();
    for (Class<?> t : types) {
      sb.append(t.getName()).append('\n');
    }
    entries.put(
        "META-INF/services/" + point.getName(), sb.toString().getBytes(StandardCharsets.UTF_8));
    return this;
  }

  Path write(Path dir) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
    Path jar = Files.createTempFile(dir, "plugin-", ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, mf)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        j.putNextEntry(new JarEntry(e.getKey()));
        j.write(e.getValue());
        j.closeEntry();
      }
    }
    return jar;
  }
}
