package org.jobhost.dist.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jobhost.testsupport.PluginJar;

/**
 * The plugin {@code hot} of a given version, built as a real jar: a runner of type {@code hot}
 * (param {@code sleep_ms}) that writes {@code start <job> <version>} and {@code ran <job>
 * <version>} to {@code state_dir/hot/ran.log}, a USR2 hook that writes {@code hook <version>} to
 * {@code hook.log}, and a listener that writes {@code loaded|unloaded <id> <version> seen by
 * <version>} to {@code listener.log}. Not thread-safe.
 */
final class HotPlugin {

  private HotPlugin() {}

  /** Builds {@code hot} version {@code version} into {@code build} and returns the jar. */
  static Path build(String version, Path build) throws IOException {
    Path out = Files.createDirectories(build.resolve(version));
    return PluginJar.forTree("hot")
        .version(version)
        .source("org.jobhost.test.hot.Hot", SOURCE.replace("@VERSION@", version))
        .service("org.jobhost.api.JobRunner", "org.jobhost.test.hot.Hot")
        .service("org.jobhost.api.SignalHook", "org.jobhost.test.hot.Hot")
        .service("org.jobhost.api.HostListener", "org.jobhost.test.hot.Hot")
        .build(out);
  }

  /** Puts {@code jar} into {@code plugins} as {@code hot.jar} the way the README says: a rename. */
  static void drop(Path jar, Path plugins) throws IOException {
    Path tmp = plugins.resolve(".hot.jar.tmp");
    Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, plugins.resolve("hot.jar"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The lines the plugin wrote to {@code state_dir/hot/<name>} (none yet: empty). */
  static List<String> lines(Path stateDir, String name) {
    Path f = stateDir.resolve("hot").resolve(name);
    try {
      return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String SOURCE =
      """
      package org.jobhost.test.hot;

      import java.nio.charset.StandardCharsets;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.nio.file.StandardOpenOption;
      import java.util.Set;
      import org.jobhost.api.*;

      public final class Hot implements JobRunner, SignalHook, HostListener {
        private Path dir;

        @Override public void init(PluginContext context) { dir = context.stateDirectory(); }

        private synchronized void note(String file, String line) {
          try {
            Files.writeString(dir.resolve(file), line + "\\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }

        @Override public Set<String> types() { return Set.of("hot"); }

        @Override public Outcome run(Job job, JobContext context) throws Exception {
          note("ran.log", "start " + job.id() + " @VERSION@");
          Thread.sleep(Long.parseLong(job.params().getOrDefault("sleep_ms", "0")));
          note("ran.log", "ran " + job.id() + " @VERSION@");
          return Outcome.succeeded();
        }

        @Override public Set<Signal> signals() { return Set.of(Signal.USR2); }

        @Override public void onSignal(SignalEvent event, Host host) { note("hook.log", "hook @VERSION@"); }

        @Override public void pluginLoaded(Host host, PluginState p) {
          note("listener.log", "loaded " + p.id() + " " + p.version() + " seen by @VERSION@");
        }

        @Override public void pluginUnloaded(Host host, PluginState p) {
          note("listener.log", "unloaded " + p.id() + " " + p.version() + " seen by @VERSION@");
        }
      }
      """;
}
