package org.jobhost.bench.children;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of type "compute": a fixed amount of ordinary Java work (sorting, hashing into a map,
 * building strings; param {@code rounds}, default 40, about 1 s with full tiered compilation on
 * these machines), and logs how long it took (wall and the thread's CPU time), so that JIT
 * settings can be compared on the same work. Thread-safe (stateless).
 */
public final class ComputeRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(ComputeRunner.class);

  @Override
  public Set<String> types() {
    return Set.of("compute");
  }

  @Override
  public Outcome run(Job job, JobContext context) {
    int rounds = Integer.parseInt(job.param("rounds", "40"));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      sink += round(r);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
    // CPU time is the figure to compare: on a loaded machine the wall time mostly measures the load.
    log.warn("BENCH compute job={} ms={} cpu_ms={} sink={}", job.id(), ms, cpuMs, sink & 0xff);
    return Outcome.succeeded(Long.toString(ms));
  }

  private static long round(int seed) {
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    int[] a = new int[200_000];
    for (int i = 0; i < a.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      a[i] = (int) x;
    }
    Arrays.sort(a);
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      m.merge(a[i] & 0xfff, 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append(a[i] % 1000).append(',');
    }
    return a[a.length / 2] + m.size() + sb.length();
  }
}
