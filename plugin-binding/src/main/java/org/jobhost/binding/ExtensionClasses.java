package org.jobhost.binding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.CliCommand;
import org.jobhost.api.HostListener;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Managed;
import org.jobhost.api.SignalHook;

/**
 * The extension classes of one class loader: the names its {@code META-INF/services} files (and
 * pf4j's {@code @Extension} index) list for each extension point, and one instance of each class
 * that implements a point. The host and the test kit's harness find and create extensions through
 * it alike. Every problem is added to the caller's list, worded for the operator. Stateless;
 * thread-safe.
 */
public final class ExtensionClasses {

  /** The extension points of the plugin API, in the order they are discovered and bound. */
  public static final List<Class<? extends Managed>> POINTS =
      List.of(
          JobSource.class, JobRunner.class, SignalHook.class, HostListener.class, CliCommand.class);

  /** pf4j's index of {@code @Extension} classes, written by its annotation processor. */
  public static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";

  private ExtensionClasses() {}

  /**
   * Every class named in a {@code META-INF/services} file of an extension point, with the points
   * that name it.
   */
  public static Map<String, Set<Class<?>>> listed(
      ClassLoader cl, List<String> problems, boolean own) {
    Map<String, Set<Class<?>>> names = new LinkedHashMap<>();
    for (Class<?> point : POINTS) {
      for (String n : names(cl, "META-INF/services/" + point.getName(), problems, own)) {
        names.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(point);
      }
    }
    return names;
  }

  /**
   * The class names in pf4j's {@code @Extension} index; with {@code own}, only the loader's own.
   */
  public static Set<String> indexNames(ClassLoader cl, List<String> problems, boolean own) {
    return names(cl, EXTENSIONS_INDEX, problems, own);
  }

  /** The class names a services-style file lists; with {@code own}, only the loader's own. */
  private static Set<String> names(
      ClassLoader cl, String resource, List<String> problems, boolean own) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Enumeration<URL> urls =
          own && cl instanceof URLClassLoader
              ? ((URLClassLoader) cl).findResources(resource)
              : cl.getResources(resource);
      for (URL url : Collections.list(urls)) {
        // Uncached: a cached jar connection keeps the plugin's jar open after it is unloaded.
        java.net.URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
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

  /** One created extension and the points it implements. */
  public record Created(Object instance, List<Class<?>> points) {}

  /**
   * Creates one instance of class {@code name} if it implements an extension point; a class that
   * cannot be loaded or created, or that a services file of a point it does not implement lists, is
   * a problem. Returns {@code null} when nothing was created.
   *
   * @param listedAs the points whose services file lists it (none: pf4j's {@code @Extension} index)
   */
  public static Created create(
      String name, Set<Class<?>> listedAs, ClassLoader cl, List<String> problems) {
    Class<?> type;
    try {
      type = Class.forName(name, false, cl);
    } catch (ClassNotFoundException e) {
      problems.add(
          "class "
              + name
              + " cannot be loaded: "
              + e
              + "; check that the jar contains it and its dependencies");
      return null;
    } catch (LinkageError e) {
      problems.add("class " + name + " cannot be loaded: " + LoadHints.describe(e));
      return null;
    }
    List<Class<?>> implemented = new ArrayList<>();
    for (Class<?> point : POINTS) {
      if (point.isAssignableFrom(type)) {
        implemented.add(point);
      }
    }
    for (Class<?> point : listedAs) {
      if (!point.isAssignableFrom(type)) {
        problems.add(
            "META-INF/services/"
                + point.getName()
                + " lists "
                + name
                + ", which does not implement "
                + point.getName()
                + "; it is not used as one. Implement the interface, or remove the line");
      }
    }
    if (implemented.isEmpty()) {
      return null;
    }
    Object instance;
    try {
      Constructor<?> ctor = type.getDeclaredConstructor();
      instance = ctor.newInstance();
    } catch (InvocationTargetException e) {
      problems.add(
          "class "
              + name
              + ": its constructor threw "
              + LoadHints.describe(e.getCause())
              + "; it is disabled");
      return null;
    } catch (ReflectiveOperationException | LinkageError e) {
      problems.add(
          "class "
              + name
              + " cannot be created: "
              + e
              + "; an extension needs a public no-argument constructor");
      return null;
    }
    return new Created(instance, implemented);
  }
}
