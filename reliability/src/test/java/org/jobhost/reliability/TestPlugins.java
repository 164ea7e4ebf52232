package org.jobhost.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jobhost.testsupport.PluginJar;

/**
 * The plugins of the suite, built as real jars: a well-behaved runner of types {@code inproc} and
 * {@code iso} (sleeps {@code ms}), and misbehaving ones, each throwing or blocking in one place.
 */
final class TestPlugins {

  private TestPlugins() {}

  /**
   * Compiles the one class {@code rel.<name>}, which implements the extension point {@code point}
   * with {@code body} as its members ({@code java.util} and the plugin API imported), against the
   * tree's {@code lib/} into {@code plugins/<id>.jar}, listed under {@code point}.
   */
  private static Path jar(Path plugins, String id, String name, String point, String body)
      throws IOException {
    String className = "rel." + name;
    String code =
        """
        package rel;
        import java.util.*;
        import org.jobhost.api.*;
        public final class %s implements %s {
        %s}
        """
            .formatted(name, point, body);
    return PluginJar.forTree(id).source(className, code).service(point, className).build(plugins);
  }

  /** Runner of {@code inproc} and {@code iso}: sleeps param {@code ms}, then succeeds. */
  static Path sleeper(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-sleeper",
        "Sleeper",
        "JobRunner",
        """
        @Override public Set<String> types() { return Set.of("inproc", "iso"); }
        @Override public Outcome run(Job job, JobContext c) throws Exception {
          Thread.sleep(Long.parseLong(job.param("ms", "10")));
          return Outcome.succeeded("slept " + job.param("ms", "10"));
        }
        """);
  }

  /**
   * A source plugin {@code id} of one class, {@code rel.<name>}, whose {@code member} throws an
   * {@link IllegalStateException} with {@code message}.
   */
  private record ThrowingSource(String id, String name, String member, String message) {}

  private static final List<ThrowingSource> THROWING_SOURCES =
      List.of(
          new ThrowingSource(
              "rel-ctor", "CtorThrows", "CtorThrows()", "rel-ctor refuses to be built"),
          new ThrowingSource(
              "rel-init", "InitThrows", "void init(PluginContext c)", "rel-init cannot start"),
          new ThrowingSource(
              "rel-poll", "PollThrows", "List<Job> poll(int max)", "rel-poll is broken"),
          new ThrowingSource("rel-close", "CloseThrows", "void close()", "rel-close fails"));

  /** Sources that throw in one place each: the constructor, init, every poll, close. */
  static void throwingSources(Path plugins) throws IOException {
    for (ThrowingSource s : THROWING_SOURCES) {
      String throwing =
          "public %s { throw new IllegalStateException(\"%s\"); }\n"
              .formatted(s.member(), s.message());
      // Every source polls; the one that throws there has no other poll.
      String poll =
          s.member().contains(" poll(")
              ? ""
              : "public List<Job> poll(int max) { return List.of(); }\n";
      jar(plugins, s.id(), s.name(), "JobSource", throwing + poll);
    }
  }

  /** A runner of type {@code boom} that throws, and of {@code leak} that leaks a thread. */
  static Path throwsInRunAndLeaks(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-run",
        "BadRunner",
        "JobRunner",
        """
        @Override public Set<String> types() { return Set.of("boom", "leak"); }
        @Override public Outcome run(Job job, JobContext c) throws Exception {
          if (job.type().equals("boom")) {
            throw new IllegalStateException("rel-run exploded");
          }
          Thread t = new Thread(() -> {
            try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { }
          }, "rel-leaked-" + job.id());
          t.start();
          return Outcome.succeeded("leaked a thread");
        }
        """);
  }

  /** A hook on WINCH that never returns. */
  static Path blockingHook(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-hook",
        "BlockingHook",
        "SignalHook",
        """
        @Override public Set<Signal> signals() { return Set.of(Signal.WINCH); }
        @Override public void onSignal(SignalEvent e, Host h) throws Exception {
          Thread.sleep(Long.MAX_VALUE);
        }
        """);
  }

  /**
   * A source that hands out {@code count} jobs as fast as slots free (no files, no database), so a
   * soak can push a million jobs through the runners: every {@code command_every}-th is a command
   * job ({@code argv = "true"}), the others {@code iso} jobs of 0 ms for a worker JVM.
   */
  static Path flood(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-flood",
        "Flood",
        "JobSource",
        """
        private long count;
        private long every;
        private long emitted;
        @Override public void init(PluginContext c) {
          count = c.settings().integer("count", 1000);
          every = Math.max(1, c.settings().integer("command_every", 10));
        }
        @Override public synchronized List<Job> poll(int max) {
          List<Job> jobs = new ArrayList<>();
          while (jobs.size() < max && emitted < count) {
            long n = emitted++;
            jobs.add(n % every == 0
                ? new Job("flood-" + n, "command", Map.of("argv", "true"))
                : new Job("flood-" + n, "iso", Map.of("ms", "0")));
          }
          return jobs;
        }
        @Override public synchronized OptionalLong depth() {
          return OptionalLong.of(count - emitted);
        }
        """);
  }
}
