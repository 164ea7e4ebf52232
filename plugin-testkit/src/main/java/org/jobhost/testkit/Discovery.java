package org.jobhost.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads the class names a plugin declares, as the host does. Stateless. */
final class Discovery {

  /** pf4j's index of {@code @Extension} classes, written by its annotation processor. */
  static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";

  private Discovery() {}

  /** The names in {@code META-INF/services/<point>}; with {@code own}, only the loader's own. */
  static Set<String> serviceNames(
      ClassLoader cl, Class<?> point, boolean own, List<String> problems) {
    return names(cl, "META-INF/services/" + point.getName(), own, problems);
  }

  /** The names in pf4j's extension index. */
  static Set<String> indexNames(ClassLoader cl, boolean own, List<String> problems) {
    return names(cl, EXTENSIONS_INDEX, own, problems);
  }

  private static Set<String> names(
      ClassLoader cl, String resource, boolean own, List<String> problems) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Enumeration<URL> urls =
          own && cl instanceof URLClassLoader
              ? ((URLClassLoader) cl).findResources(resource)
              : cl.getResources(resource);
      for (URL url : Collections.list(urls)) {
        try (BufferedReader r =
            new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            int hash = line.indexOf('#');
            String n = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!n.isEmpty()) {
              names.add(n);
            }
          }
        }
      }
    } catch (IOException e) {
      problems.add("cannot read " + resource + ": " + e.getMessage());
    }
    return names;
  }
}
