package org.jobhost.reliability.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One reading of a process from {@code /proc/<pid>}: resident memory, threads, open file
 * descriptors and CPU time (user + system, in clock ticks). Immutable.
 *
 * @param rssKb resident set size in KiB
 * @param threads number of threads
 * @param fds number of open file descriptors
 * @param cpuTicks user plus system CPU time in clock ticks (100 a second on Linux)
 */
public record ProcSample(long rssKb, int threads, int fds, long cpuTicks) {

  /** Reads {@code /proc/<pid>}; fails when the process is gone. */
  public static ProcSample of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      long rss = 0;
      int threads = 0;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
      int fds;
      try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
        fds = (int) s.count();
      }
      String stat = Files.readString(proc.resolve("stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return new ProcSample(rss, threads, fds, ticks);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + proc + " (has the daemon exited?)", e);
    }
  }
}
