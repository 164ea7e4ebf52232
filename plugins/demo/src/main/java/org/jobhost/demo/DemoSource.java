package org.jobhost.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jobhost.api.Durations;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits {@code count} jobs of type {@code demo}, {@code rate} per second (0: as fast as slots
 * free). Settings ({@code [plugins.demo]}): {@code count} (default 20; 0 = no limit), {@code rate}
 * (default 5), {@code work} (default "200ms"), {@code mode} ("sleep" or "compute"), {@code
 * fail_every} (every n-th job fails; 0 = none). Thread-safe.
 */
public final class DemoSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(DemoSource.class);
  static final Set<String> KEYS = Set.of("count", "rate", "work", "mode", "fail_every");

  private Clock clock;
  private long count = 20;
  private long rate = 5;
  private String work = "200ms";
  private String mode = "sleep";
  private long failEvery;
  private long emitted;
  private long ended;
  private Instant next;

  @Override
  public synchronized void init(PluginContext context) {
    clock = context.clock();
    apply(context.settings());
    next = clock.instant();
    log.info(
        "demo source: {} jobs ({} per second), each {} of {}",
        count == 0 ? "unlimited" : count,
        rate == 0 ? "unlimited" : rate,
        work,
        mode);
  }

  @Override
  public synchronized void settingsChanged(PluginSettings settings) {
    apply(settings);
  }

  private void apply(PluginSettings s) {
    s.requireOnly(KEYS);
    long c = s.integer("count", 20);
    long r = s.integer("rate", 5);
    if (c < 0) {
      throw s.invalid("count", "must be 0 (no limit) or more (was " + c + ")");
    }
    if (r < 0 || r > 1_000_000) {
      throw s.invalid("rate", "must be from 0 (as fast as slots free) to 1000000 (was " + r + ")");
    }
    Duration w = s.duration("work", Duration.ofMillis(200));
    String m = s.string("mode", "sleep");
    if (!m.equals("sleep") && !m.equals("compute")) {
      throw s.invalid("mode", "must be \"sleep\" or \"compute\" (was \"" + m + "\")");
    }
    count = c;
    rate = r;
    work = Durations.format(w);
    mode = m;
    failEvery = Math.max(0, s.integer("fail_every", 0));
  }

  @Override
  public synchronized List<Job> poll(int max) {
    List<Job> out = new ArrayList<>();
    Instant now = clock.instant();
    while (out.size() < max && (count == 0 || emitted < count) && !now.isBefore(next)) {
      emitted++;
      boolean fail = failEvery > 0 && emitted % failEvery == 0;
      out.add(
          new Job(
              "demo-" + emitted,
              "demo",
              Map.of("work", work, "mode", mode, "fail", Boolean.toString(fail))));
      if (rate > 0) {
        next = next.plusNanos(1_000_000_000L / rate);
        if (next.isBefore(now.minusSeconds(1))) {
          next = now;
        }
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<Instant> nextDue() {
    if (count != 0 && emitted >= count) {
      return Optional.empty();
    }
    return Optional.of(next);
  }

  @Override
  public synchronized void completed(Job job, Outcome outcome) {
    ended++;
    if (count != 0 && ended == count) {
      log.info("demo source: all {} jobs ended", count);
    }
  }
}
