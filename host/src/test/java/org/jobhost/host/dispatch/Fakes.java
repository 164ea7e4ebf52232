package org.jobhost.host.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;

/**
 * A queue-backed source and a scripted runner, recording every call, and the configuration and
 * runner behaviour the dispatcher tests share.
 */
final class Fakes {
  private Fakes() {}

  static Job job(String id, String type) {
    return new Job(id, type, Map.of());
  }

  /** The configuration {@code toml} gives, written as {@code jobhost.toml} in {@code home}. */
  static Config config(Path home, String toml) throws IOException {
    Path file = home.resolve("jobhost.toml");
    Files.writeString(file, toml);
    return new ConfigLoader(home, Map.of()).load(file, List.of());
  }

  /**
   * A runner's body that sleeps for a minute and succeeds; an interrupt (a stop) ends it with an
   * {@link IllegalStateException}.
   */
  static Outcome sleepUntilInterrupted() {
    try {
      Thread.sleep(60_000);
      return Outcome.succeeded();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Source implements JobSource {
    final Deque<Job> queue = new ArrayDeque<>();
    final List<String> completed = Collections.synchronizedList(new ArrayList<>());
    final List<String> retried = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> polls = new ArrayList<>();
    boolean acceptRetries;
    Instant due;

    Source add(Job... jobs) {
      queue.addAll(List.of(jobs));
      return this;
    }

    @Override
    public synchronized List<Job> poll(int max) {
      polls.add(max);
      List<Job> out = new ArrayList<>();
      while (out.size() < max && !queue.isEmpty()) {
        out.add(queue.poll());
      }
      return out;
    }

    @Override
    public Optional<Instant> nextDue() {
      return Optional.ofNullable(due);
    }

    @Override
    public void completed(Job job, Outcome outcome) {
      completed.add(job.id() + ":" + outcome.kind());
    }

    @Override
    public boolean retry(Job job, Outcome outcome, Instant notBefore) {
      if (!acceptRetries) {
        return false;
      }
      retried.add(job.id() + "#" + job.attempt() + "@" + notBefore);
      return true;
    }
  }

  static final class Runner implements JobRunner {
    final Set<String> types;
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    Function<JobContext, Outcome> behaviour = c -> Outcome.succeeded();

    Runner(String... types) {
      this.types = Set.of(types);
    }

    @Override
    public Set<String> types() {
      return types;
    }

    @Override
    public Outcome run(Job job, JobContext context) throws Exception {
      ran.add(job.id());
      return behaviour.apply(context);
    }
  }
}
