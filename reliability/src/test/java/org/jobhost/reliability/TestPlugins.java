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
   * Compiles {@code code} (the one class {@code className}) against the tree's {@code lib/} into
   * {@code plugins/<id>.jar}, listing it under each extension point of {@code points}.
   */
  private static Path jar(Path plugins, String id, String className, String code, String... points)
      throws IOException {
    PluginJar jar = PluginJar.forTree(id).source(className, code);
    for (String point : points) {
      jar.service(point, className);
    }
    return jar.build(plugins);
  }

  /** Runner of {@code inproc} and {@code iso}: sleeps param {@code ms}, then succeeds. */
  static Path sleeper(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-sleeper",
        "rel.Sleeper",
        """
        package rel;
        import java.util.Set;
        import org.jobhost.api.*;
        public final class Sleeper implements JobRunner {
          @Override public Set<String> types() { return Set.of("inproc", "iso"); }
          @Override public Outcome run(Job job, JobContext c) throws Exception {
            Thread.sleep(Long.parseLong(job.param("ms", "10")));
            return Outcome.succeeded("slept " + job.param("ms", "10"));
          }
        }
        """,
        "JobRunner");
  }

  /** A source whose constructor throws. */
  static Path throwsInConstructor(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-ctor",
        "rel.CtorThrows",
        """
        package rel;
        import java.util.List;
        import org.jobhost.api.*;
        public final class CtorThrows implements JobSource {
          public CtorThrows() { throw new IllegalStateException("rel-ctor refuses to be built"); }
          @Override public List<Job> poll(int max) { return List.of(); }
        }
        """,
        "JobSource");
  }

  /** A source whose init throws. */
  static Path throwsInInit(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-init",
        "rel.InitThrows",
        """
        package rel;
        import java.util.List;
        import org.jobhost.api.*;
        public final class InitThrows implements JobSource {
          @Override public void init(PluginContext c) {
            throw new IllegalStateException("rel-init cannot start");
          }
          @Override public List<Job> poll(int max) { return List.of(); }
        }
        """,
        "JobSource");
  }

  /** A source that throws on every poll. */
  static Path throwsInPoll(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-poll",
        "rel.PollThrows",
        """
        package rel;
        import java.util.List;
        import org.jobhost.api.*;
        public final class PollThrows implements JobSource {
          @Override public List<Job> poll(int max) {
            throw new IllegalStateException("rel-poll is broken");
          }
        }
        """,
        "JobSource");
  }

  /** A source whose close throws. */
  static Path throwsInClose(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-close",
        "rel.CloseThrows",
        """
        package rel;
        import java.util.List;
        import org.jobhost.api.*;
        public final class CloseThrows implements JobSource {
          @Override public List<Job> poll(int max) { return List.of(); }
          @Override public void close() { throw new IllegalStateException("rel-close fails"); }
        }
        """,
        "JobSource");
  }

  /** A runner of type {@code boom} that throws, and of {@code leak} that leaks a thread. */
  static Path throwsInRunAndLeaks(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-run",
        "rel.BadRunner",
        """
        package rel;
        import java.util.Set;
        import org.jobhost.api.*;
        public final class BadRunner implements JobRunner {
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
        }
        """,
        "JobRunner");
  }

  /** A hook on WINCH that never returns. */
  static Path blockingHook(Path plugins) throws IOException {
    return jar(
        plugins,
        "rel-hook",
        "rel.BlockingHook",
        """
        package rel;
        import java.util.Set;
        import org.jobhost.api.*;
        public final class BlockingHook implements SignalHook {
          @Override public Set<Signal> signals() { return Set.of(Signal.WINCH); }
          @Override public void onSignal(SignalEvent e, Host h) throws Exception {
            Thread.sleep(Long.MAX_VALUE);
          }
        }
        """,
        "SignalHook");
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
        "rel.Flood",
        """
        package rel;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.Map;
        import java.util.OptionalLong;
        import org.jobhost.api.*;
        public final class Flood implements JobSource {
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
        }
        """,
        "JobSource");
  }
}
