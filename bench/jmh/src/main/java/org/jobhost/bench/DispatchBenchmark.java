package org.jobhost.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.bench.children.NoopRunner;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.dispatch.Dispatcher;
import org.jobhost.host.dispatch.JobObserver;
import org.jobhost.host.dispatch.Waiter;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No-op in-process jobs through the dispatcher (poll, slot accounting, worker thread, outcome,
 * source acknowledgement) against a raw {@link ThreadPoolExecutor} running the same no-op tasks on
 * the same number of threads. Reported as jobs per second; the ratio is the dispatcher's cost.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class DispatchBenchmark {

  static final int JOBS = 20_000;
  static final int WORKERS = 4;

  private Source source;
  private Dispatcher dispatcher;
  private Thread loop;
  private ThreadPoolExecutor raw;
  private Job[] jobs;

  /** A queue of jobs that counts acknowledgements. */
  static final class Source implements JobSource {
    final Queue<Job> queue = new ConcurrentLinkedQueue<>();
    final AtomicReference<CountDownLatch> done = new AtomicReference<>();

    @Override
    public List<Job> poll(int max) {
      java.util.ArrayList<Job> out = new java.util.ArrayList<>(max);
      Job j;
      while (out.size() < max && (j = queue.poll()) != null) {
        out.add(j);
      }
      return out;
    }

    @Override
    public void completed(Job job, Outcome outcome) {
      done.get().countDown();
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path home = Files.createTempDirectory("jobhost-bench");
    Config cfg =
        new ConfigLoader(home, Map.of())
            .load(null, List.of("max_workers=" + WORKERS, "idle_time=1s"));
    source = new Source();
    jobs = new Job[JOBS];
    for (int i = 0; i < JOBS; i++) {
      jobs[i] = new Job(Integer.toString(i), "noop", Map.of());
    }
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
    dispatcher =
        new Dispatcher(
            () -> cfg,
            List.of(new Contribution<JobSource>(source, "bench")),
            Map.of("noop", new Contribution<JobRunner>(new NoopRunner(), "bench")),
            null,
            new ProcessGroups(Posix.load(), new ProcTable(), null),
            JobObserver.NONE,
            Clock.systemUTC(),
            new Waiter(),
            workers,
            () -> 0.5);
    loop = new Thread(() -> dispatcher.run(false, () -> {}), "jobhost-dispatcher");
    loop.setDaemon(true);
    loop.start();
    raw =
        new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dispatcher.terminate();
    raw.shutdownNow();
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void dispatcher() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(JOBS);
    source.done.set(done);
    for (Job j : jobs) {
      source.queue.add(j);
    }
    dispatcher.wake();
    done.await();
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void rawExecutor() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(JOBS);
    NoopRunner noop = new NoopRunner();
    for (Job j : jobs) {
      raw.execute(
          () -> {
            noop.run(j, null);
            done.countDown();
          });
    }
    done.await();
  }
}
