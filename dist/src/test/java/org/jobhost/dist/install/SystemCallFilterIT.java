package org.jobhost.dist.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit's {@code SystemCallFilter=@system-service} lets the daemon work: every system call the
 * daemon and a {@code command} job make in a whole run, traced with strace, is in the set this
 * machine's systemd allows.
 */
class SystemCallFilterIT {

  private static final Path TREE = Tree.root();
  private static final Pattern CALL = Pattern.compile("^\\d+\\s+([a-z0-9_]+)\\(");

  @TempDir Path tmp;

  @BeforeEach
  void tools() throws Exception {
    Assumptions.assumeTrue(Shell.run("sh", "-c", "command -v strace").code() == 0, "no strace");
    Assumptions.assumeTrue(
        Shell.run("sh", "-c", "command -v systemd-analyze").code() == 0, "no systemd-analyze");
  }

  @Test
  void everySystemCallOfTheDaemonAndACommandJobIsInTheUnitsFilter() throws Exception {
    Set<String> allowed = filter("@system-service");
    HostConfig config = HostConfig.write(tmp, "", "");
    Path out = tmp.resolve("job.out");
    SpoolFiles.drop(config.spool(), "job.json", SpoolFiles.commandJob("id -un > " + out));
    Path conf = config.file();
    Path trace = tmp.resolve("trace");

    Cli run = Shell.run(Shell.untilIdle(TREE, conf, "strace", "-f", "-qq", "-o", trace.toString()));

    assertThat(run.code()).as(run.all()).isZero();
    assertThat(out).as("the job ran").exists();
    Set<String> used = new TreeSet<>();
    try (Stream<String> lines = Files.lines(trace)) {
      lines.map(CALL::matcher).filter(Matcher::find).forEach(m -> used.add(m.group(1)));
    }
    assertThat(used).as("the trace").contains("mprotect", "execve", "futex");
    Set<String> outside = new TreeSet<>(used);
    outside.removeAll(allowed);
    assertThat(outside).as("calls outside @system-service").isEmpty();
  }

  /** The system calls of a filter group, nested groups expanded. */
  private Set<String> filter(String group) throws Exception {
    Set<String> calls = new HashSet<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(group);
    while (!todo.isEmpty()) {
      String g = todo.pop();
      if (!seen.add(g)) {
        continue;
      }
      Cli r = Shell.run("systemd-analyze", "syscall-filter", g);
      assertThat(r.code()).as(r.all()).isZero();
      r.out()
          .lines()
          .filter(l -> l.startsWith("    "))
          .map(String::trim)
          .filter(l -> !l.startsWith("#") && !l.isEmpty())
          .forEach(
              l -> {
                if (l.startsWith("@")) {
                  todo.add(l);
                } else {
                  calls.add(l);
                }
              });
    }
    assertThat(calls).contains("read", "clone");
    return calls;
  }
}
