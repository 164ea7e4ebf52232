package org.jobhost.host.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.Outcome;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.config.JavaRuntime;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool against real worker JVMs started from the test class path (TestRunner, type "t"). */
class WorkerPoolTest {

  @TempDir Path dir;
  private WorkerPool pool;

  private WorkerPool pool(String workersToml) throws IOException {
    Path file = dir.resolve("jobhost.toml");
    Files.writeString(
        file,
        "plugins_dir = \""
            + dir.resolve("plugins")
            + "\"\nstate_dir = \""
            + dir.resolve("var")
            + "\"\n[workers]\n"
            + workersToml
            + "\n");
    Config cfg = new ConfigLoader(dir, Map.of()).load(file, List.of());
    ProcessGroups groups = new ProcessGroups(Posix.load(), new ProcTable(), null);
    pool = new WorkerPool(() -> cfg, groups, JavaRuntime.current(), file, List.of(), () -> 0.5);
    return pool;
  }

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
  }

  private static Job job(String id, String what) {
    return new Job(id, TestRunner.TYPE, Map.of("do", what));
  }

  /** Runs job {@code id} with param {@code do} = {@code what} on the pool, in a fresh context. */
  private Outcome run(String id, String what) throws InterruptedException {
    Job j = job(id, what);
    return pool.run(j, new Ctx(j));
  }

  /**
   * Runs two jobs in a row on a new pool with these {@code [workers]} settings and checks that both
   * succeed; returns their outputs, each the pid of the worker JVM that ran it.
   */
  private List<String> workerPidsOfTwoJobs(String workersToml) throws Exception {
    pool(workersToml);
    Outcome a = run("a", "ok");
    Outcome b = run("b", "ok");
    assertThat(a.isSuccess()).isTrue();
    assertThat(b.isSuccess()).isTrue();
    return List.of(a.output(), b.output());
  }

  @Test
  void aWarmWorkerRunsTheNextJobInTheSameJvm() throws Exception {
    List<String> pids = workerPidsOfTwoJobs("");
    assertThat(pids.get(1)).isEqualTo(pids.get(0)).startsWith("pid=");
    assertThat(pids.get(0)).isNotEqualTo("pid=" + ProcessHandle.current().pid());
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void aWorkerThatExitsFailsItsJobWithTheStatusAndIsReplaced() throws Exception {
    pool("");
    Outcome dead = run("x", "exit:3");
    assertThat(dead.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(dead.message()).contains("job x").contains("exited with status 3");
    Outcome next = run("y", "ok");
    assertThat(next.isSuccess()).isTrue();
  }

  @Test
  void aWorkerIsRecycledAfterMaxJobs() throws Exception {
    List<String> pids = workerPidsOfTwoJobs("max_jobs = 1");
    assertThat(pids.get(1)).isNotEqualTo(pids.get(0));
  }

  @Test
  void theReplacementOfARecycledWorkerStartsBeforeTheOldOneRetires() throws Exception {
    pool("max_jobs = 10"); // jitter 0.5: recycled after 9 jobs, replacement started after 8
    String first = null;
    for (int i = 1; i <= 8; i++) {
      Outcome o = run("j" + i, "ok");
      first = first == null ? o.output() : first;
      assertThat(o.output()).isEqualTo(first);
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> pool.spares() == 1);
    assertThat(pool.size()).as("the old worker and its ready replacement").isEqualTo(2);
    Outcome ninth = run("j9", "ok");
    assertThat(ninth.output()).as("the old worker runs its last job").isEqualTo(first);
    Outcome tenth = run("j10", "ok");
    assertThat(tenth.output()).isNotEqualTo(first);
    assertThat(pool.spares()).as("the next job took the replacement").isZero();
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void workerJvmsRunJobsWithFullTieredCompilation() throws Exception {
    pool("");
    Config cfg = new ConfigLoader(dir, Map.of()).load(dir.resolve("jobhost.toml"), List.of());
    assertThat(pool.command(cfg, dir.resolve("var/workers")))
        .as("C1 alone runs a compute-bound job 2-2.5 times slower (bench/README.md)")
        .noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel"));
  }

  @Test
  void aStopRequestReachesTheRunnerInTheWorker() throws Exception {
    pool("");
    Ctx ctx = new Ctx(job("w", "wait"));
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(pool.run(ctx.job(), ctx));
              } catch (Exception e) {
                f.completeExceptionally(e);
              }
            });
    t.start();
    // The worker is up and the job runs once the pool has one busy worker.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pool.size() == 1);
    ctx.stop().set(true);
    Outcome o = f.get(30, TimeUnit.SECONDS);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.CANCELLED);
    t.join(5000);
  }

  /** A job context whose stop the test sets. */
  private record Ctx(Job job, AtomicBoolean stop) implements JobContext {
    Ctx(Job job) {
      this(job, new AtomicBoolean());
    }

    @Override
    public boolean stopRequested() {
      return stop.get();
    }

    @Override
    public Instant deadline() {
      return Instant.MAX;
    }

    @Override
    public Process startProcess(ProcessBuilder builder) throws IOException {
      throw new IOException("not in this test");
    }

    @Override
    public Duration killTimeout() {
      return Duration.ofSeconds(1);
    }
  }
}
