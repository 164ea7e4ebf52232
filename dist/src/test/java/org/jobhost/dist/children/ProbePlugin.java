package org.jobhost.dist.children;

import java.io.IOException;
import java.nio.file.Path;
import org.jobhost.testsupport.PluginJar;

/**
 * The source of the test plugin "probe", compiled in the test: a {@code ListSource} that hands out
 * the jobs of a file ({@code id<TAB>type<TAB>timeout-ms<TAB>key=value...}, one a line) and appends
 * each outcome to a results file ({@code id<TAB>KIND<TAB>message<TAB>output}, newlines escaped),
 * and a {@code ProbeRunner} for type "probe" whose param {@code action} is ok, exit:N, oom, kill,
 * sleep:MS or spawn:ARG (a child {@code sleep ARG}, then sleeps).
 */
final class ProbePlugin {

  private ProbePlugin() {}

  static final String SOURCE =
      """
      package org.jobhost.test.probe;

      import java.nio.charset.StandardCharsets;
      import java.nio.file.*;
      import java.time.Duration;
      import java.util.*;
      import org.jobhost.api.*;

      public final class ListSource implements JobSource {
        private final Deque<Job> jobs = new ArrayDeque<>();
        private Path results;

        @Override
        public void init(PluginContext c) throws Exception {
          results = Path.of(c.settings().string("results", "/dev/null"));
          Path file = Path.of(c.settings().string("jobs", "/nonexistent"));
          if (!Files.isRegularFile(file)) {
            return;
          }
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
              continue;
            }
            String[] f = line.split("\\t");
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 3; i < f.length; i++) {
              int eq = f[i].indexOf('=');
              params.put(f[i].substring(0, eq), f[i].substring(eq + 1));
            }
            long ms = Long.parseLong(f[2]);
            jobs.add(new Job(f[0], f[1], params, ms > 0 ? Duration.ofMillis(ms) : null));
          }
        }

        @Override
        public synchronized List<Job> poll(int max) {
          List<Job> out = new ArrayList<>();
          while (out.size() < max && !jobs.isEmpty()) {
            out.add(jobs.poll());
          }
          return out;
        }

        @Override
        public synchronized void completed(Job job, Outcome o) throws Exception {
          String line = job.id() + "\\t" + o.kind() + "\\t" + esc(o.message()) + "\\t"
              + esc(o.output()) + "\\n";
          Files.writeString(results, line, StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        private static String esc(String s) {
          return s.replace("\\\\", "\\\\\\\\").replace("\\n", "\\\\n").replace("\\t", " ");
        }
      }
      """;

  static final String RUNNER =
      """
      package org.jobhost.test.probe;

      import java.util.*;
      import org.jobhost.api.*;

      public final class ProbeRunner implements JobRunner {
        @Override
        public Set<String> types() {
          return Set.of("probe");
        }

        @Override
        public Outcome run(Job job, JobContext ctx) throws Exception {
          String action = job.param("action", "ok");
          long pid = ProcessHandle.current().pid();
          if (action.startsWith("exit:")) {
            System.exit(Integer.parseInt(action.substring(5)));
          } else if (action.equals("oom")) {
            List<long[]> hog = new ArrayList<>();
            while (true) {
              hog.add(new long[1 << 20]);
            }
          } else if (action.equals("kill")) {
            new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
            Thread.sleep(60_000);
          } else if (action.startsWith("sleep:")) {
            Thread.sleep(Long.parseLong(action.substring(6)));
          } else if (action.startsWith("spawn:")) {
            ctx.startProcess(new ProcessBuilder("sleep", action.substring(6)));
            Thread.sleep(Long.MAX_VALUE);
          }
          System.out.println("probe " + job.id() + " ran in pid " + pid);
          return Outcome.succeeded("pid=" + pid);
        }
      }
      """;

  /** Builds {@code <dir>/probe.jar}. */
  static Path build(Path dir) throws IOException {
    return PluginJar.forTree("probe")
        .source("org.jobhost.test.probe.ListSource", SOURCE)
        .source("org.jobhost.test.probe.ProbeRunner", RUNNER)
        .service("org.jobhost.api.JobSource", "org.jobhost.test.probe.ListSource")
        .service("org.jobhost.api.JobRunner", "org.jobhost.test.probe.ProbeRunner")
        .build(dir);
  }
}
