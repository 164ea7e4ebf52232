package org.jobhost.bench.children;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits {@code count} jobs of {@code type} (param {@code param_key} = {@code param_value}) as fast
 * as slots free, and logs the drain time once the last one ended. Thread-safe.
 */
public final class BenchSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(BenchSource.class);

  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private int total;
  private int emitted;
  private String type;
  private Map<String, String> params;
  private volatile long firstPoll;
  private volatile long firstDone;

  @Override
  public void init(PluginContext c) {
    total = (int) c.settings().integer("count", 200);
    type = c.settings().string("type", "noop");
    String key = c.settings().string("param_key", "");
    params = key.isEmpty() ? Map.of() : Map.of(key, c.settings().string("param_value", ""));
  }

  @Override
  public synchronized List<Job> poll(int max) {
    if (firstPoll == 0) {
      firstPoll = System.nanoTime();
    }
    List<Job> out = new ArrayList<>();
    while (out.size() < max && emitted < total) {
      out.add(new Job("b" + emitted++, type, params));
    }
    return out;
  }

  @Override
  public void completed(Job job, Outcome outcome) {
    if (!outcome.isSuccess()) {
      failed.incrementAndGet();
    }
    int n = done.incrementAndGet();
    long now = System.nanoTime();
    if (n == 1) {
      firstDone = now;
    }
    if (n == total) {
      double fromPoll = (now - firstPoll) / 1e6;
      double warm = (now - firstDone) / 1e6;
      log.warn(
          "BENCH type={} jobs={} failed={} drain_ms={} warm_ms={} warm_jobs_per_s={}",
          type,
          total,
          failed.get(),
          String.format("%.1f", fromPoll),
          String.format("%.1f", warm),
          String.format("%.0f", (total - 1) / (warm / 1000)));
    }
  }
}
