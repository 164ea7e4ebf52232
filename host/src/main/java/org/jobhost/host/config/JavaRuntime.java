package org.jobhost.host.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Java runtime this process runs on, as needed to start worker JVMs just like it: the java
 * binary, the class path (a list of jars when started by {@code bin/jobhost}) and the feature
 * version. Immutable.
 *
 * @param javaCommand the java binary of this process
 * @param classPath the class path entries of this process
 * @param feature the JDK feature version (17, 25, ...)
 * @param home the installation directory ({@code -Djobhost.home}), or {@code null} when unset
 */
public record JavaRuntime(String javaCommand, List<String> classPath, int feature, Path home) {

  /** Validates and copies. */
  public JavaRuntime {
    Objects.requireNonNull(javaCommand, "javaCommand");
    classPath = List.copyOf(classPath);
  }

  /** This process's runtime. */
  public static JavaRuntime current() {
    String javaCmd =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String cp = System.getProperty("java.class.path", "");
    List<String> entries =
        Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    String h = System.getProperty(ConfigLoader.HOME_PROPERTY);
    return new JavaRuntime(
        javaCmd,
        entries,
        Runtime.version().feature(),
        h == null || h.isBlank() ? null : Path.of(h));
  }

  /** Whether every class path entry is a jar file (AppCDS archives need that). */
  public boolean jarsOnly() {
    return !classPath.isEmpty() && classPath.stream().allMatch(e -> e.endsWith(".jar"));
  }
}
