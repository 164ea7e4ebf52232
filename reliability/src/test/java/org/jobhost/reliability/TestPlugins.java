package org.jobhost.reliability;

import java.io.IOException;
import java.nio.file.Path;
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

  /** A source whose constructor throws. */
  static Path throwsInConstructor(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-ctor",
        "CtorThrows",
        "JobSource",
        """
        public CtorThrows() { throw new IllegalStateException("rel-ctor refuses to be built"); }
        @Override public List<Job> poll(int max) { return List.of(); }
        """);
  }

  /** A source whose init throws. */
  static Path throwsInInit(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-init",
        "InitThrows",
        "JobSource",
        """
        @Override public void init(PluginContext c) {
          throw new IllegalStateException("rel-init cannot start");
        }
        @Override public List<Job> poll(int max) { return List.of(); }
        """);
  }

  /** A source that throws on every poll. */
  static Path throwsInPoll(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-poll",
        "PollThrows",
        "JobSource",
        """
        @Override public List<Job> poll(int max) {
          throw new IllegalStateException("rel-poll is broken");
        }
        """);
  }

  /** A source whose close throws. */
  static Path throwsInClose(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-close",
        "CloseThrows",
        "JobSource",
        """
        @Override public List<Job> poll(int max) { return List.of(); }
        @Override public void close() { throw new IllegalStateException("rel-close fails"); }
        """);
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
