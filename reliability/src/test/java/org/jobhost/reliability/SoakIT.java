package org.jobhost.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jobhost.reliability.support.HostDir;
import org.jobhost.reliability.support.ProcSample;
import org.jobhost.reliability.support.Suite;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: jobs through recycled worker JVMs ({@code [workers] max_jobs = 50}) and through the command
 * runner, kept flowing for {@code reliability.soak.seconds}; the host's RSS, threads, open file
 * descriptors and state-file sizes are sampled every {@code reliability.soak.sample} seconds,
 * plotted to {@code target/reliability/soak.png}, and the slope over the last three quarters (after
 * warm-up) must stay under the stated bounds.
 */
class SoakIT {

  /**
   * Bounds on the slope per minute after warm-up, for a short run (under 10 minutes: JIT, heap
   * growth and the start and stop of worker JVMs dominate, so only a gross leak fails it) and a
   * long one. Index 0: RSS in MB, 1: threads, 2: open file descriptors.
   */
  static final double[] SHORT_BOUNDS = {64, 40, 80};

  static final double[] LONG_BOUNDS = {4, 1, 2};

  @TempDir Path dir;

  @Test
  void manyJobsThroughRecycledWorkersAndCommandsKeepTheHostFlat() throws Exception {
    int seconds = Suite.size("reliability.soak.seconds", 40);
    int every = Suite.size("reliability.soak.sample", 2);
    HostDir host =
        recyclingHost(
            50,
            "[plugins.spool]\ndir = \""
                + dir.resolve("spool")
                + "\"\nmin_age = \"0s\"\nkeep_done = false\n");
    List<double[]> rows = new ArrayList<>();
    long t0;
    int dropped = 0;
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      t0 = System.nanoTime();
      long next = t0;
      while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
        int waiting = host.files("incoming").size();
        for (int i = waiting; i < 200; i++) {
          host.drop(
              "soak-" + dropped + ".json",
              dropped % 2 == 0
                  ? "{\"type\": \"command\", \"params\": {\"argv\": \"true\"}}"
                  : "{\"type\": \"iso\", \"params\": {\"ms\": \"1\"}}");
          dropped++;
        }
        if (System.nanoTime() >= next) {
          rows.add(sample(d.pid(), t0));
          next += every * 1_000_000_000L;
        }
        Thread.sleep(100);
      }
      int total = dropped;
      await("the spool drains")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> host.files("incoming").isEmpty() && host.files("active").isEmpty());
      JsonNode status = d.status();
      assertThat(d.isAlive()).isTrue();
      assertThat(host.files("failed")).as("no job failed").isEmpty();
      int n = rows.size();
      double[] t = column(rows, 0);
      int from = n / 4;
      double rss = Plot.slope(tail(t, from), tail(column(rows, 1), from));
      double threads = Plot.slope(tail(t, from), tail(column(rows, 2), from));
      double fds = Plot.slope(tail(t, from), tail(column(rows, 3), from));
      double groups = Plot.slope(tail(t, from), tail(column(rows, 4), from));
      double db = Plot.slope(tail(t, from), tail(column(rows, 5), from));
      String figures =
          String.format(
              "soak: seconds=%d jobs=%d succeeded=%d samples=%d rss_mb=%.0f..%.0f"
                  + " slope_rss_mb_per_min=%.2f threads=%.0f..%.0f slope_threads_per_min=%.2f"
                  + " fds=%.0f..%.0f slope_fds_per_min=%.2f process_groups_kb_per_min=%.2f"
                  + " jobhost_db_kb_per_min=%.1f",
              seconds,
              total,
              status.get("jobs_succeeded").asLong(),
              n,
              min(column(rows, 1)),
              max(column(rows, 1)),
              rss,
              min(column(rows, 2)),
              max(column(rows, 2)),
              threads,
              min(column(rows, 3)),
              max(column(rows, 3)),
              fds,
              groups,
              db);
      Report.append("soak.txt", figures);
      Plot.write(
          Suite.reportDir().resolve("soak.png"),
          String.format(
              "jobhost soak: %d jobs in %d s (command + worker JVMs recycled every 50 jobs)",
              status.get("jobs_succeeded").asLong(), seconds),
          t,
          List.of(
              new Plot.Series("host RSS (MB)", column(rows, 1)),
              new Plot.Series("host threads", column(rows, 2)),
              new Plot.Series("host open fds", column(rows, 3)),
              new Plot.Series("state_dir/process-groups (KB)", column(rows, 4)),
              new Plot.Series("state_dir/jobhost.db (KB)", column(rows, 5))));
      double[] bound = seconds >= 600 ? LONG_BOUNDS : SHORT_BOUNDS;
      assertThat(rss).as("RSS slope (MB/min): " + figures).isLessThan(bound[0]);
      assertThat(threads).as("threads slope (/min): " + figures).isLessThan(bound[1]);
      assertThat(fds).as("fds slope (/min): " + figures).isLessThan(bound[2]);
    }
  }

  /**
   * A counted soak: {@code reliability.soak.jobs} jobs (a million in the full form) from a source
   * that needs no files, one in {@code reliability.soak.command_every} through the command runner
   * and the rest through worker JVMs recycled every {@code reliability.soak.max_jobs} jobs. Every
   * job must succeed, and the host must stay flat while they run.
   */
  @Test
  void aCountedFloodThroughRecycledWorkersAndCommandsEndsWithEveryJobSucceeded() throws Exception {
    int jobs = Suite.size("reliability.soak.jobs", 3000);
    int every = Suite.size("reliability.soak.sample", 2);
    int commandEvery = Suite.size("reliability.soak.command_every", 10);
    int maxJobs = Suite.size("reliability.soak.max_jobs", 100);
    HostDir host =
        recyclingHost(
            maxJobs,
            "[plugins.rel-flood]\ncount = " + jobs + "\ncommand_every = " + commandEvery + "\n");
    TestPlugins.flood(host.plugins());
    List<double[]> rows = new ArrayList<>();
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      long t0 = System.nanoTime();
      // A generous cap: 20 jobs a second is far below any rate this host has shown.
      long cap = t0 + (120L + jobs / 20L) * 1_000_000_000L;
      JsonNode status = d.status();
      while (status.get("jobs_succeeded").asLong() + status.get("jobs_failed").asLong() < jobs) {
        assertThat(System.nanoTime()).as("the flood ends within its cap").isLessThan(cap);
        assertThat(d.isAlive()).as("the daemon is alive").isTrue();
        rows.add(sample(d.pid(), t0));
        Thread.sleep(every * 1000L);
        status = d.status();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long succeeded = status.get("jobs_succeeded").asLong();
      int n = rows.size();
      int from = n / 4;
      double[] t = column(rows, 0);
      String figures =
          String.format(
              "flood: jobs=%d succeeded=%d failed=%d seconds=%.0f rate_per_s=%.0f command_every=%d"
                  + " max_jobs=%d samples=%d rss_mb=%.0f..%.0f slope_rss_mb_per_min=%.2f"
                  + " threads=%.0f..%.0f slope_threads_per_min=%.2f fds=%.0f..%.0f"
                  + " slope_fds_per_min=%.2f process_groups_kb=%.1f..%.1f jobhost_db_kb=%.0f..%.0f",
              jobs,
              succeeded,
              status.get("jobs_failed").asLong(),
              seconds,
              succeeded / seconds,
              commandEvery,
              maxJobs,
              n,
              min(column(rows, 1)),
              max(column(rows, 1)),
              n > 3 ? Plot.slope(tail(t, from), tail(column(rows, 1), from)) : 0,
              min(column(rows, 2)),
              max(column(rows, 2)),
              n > 3 ? Plot.slope(tail(t, from), tail(column(rows, 2), from)) : 0,
              min(column(rows, 3)),
              max(column(rows, 3)),
              n > 3 ? Plot.slope(tail(t, from), tail(column(rows, 3), from)) : 0,
              min(column(rows, 4)),
              max(column(rows, 4)),
              min(column(rows, 5)),
              max(column(rows, 5)));
      Report.append("soak.txt", figures);
      assertThat(succeeded).as("every job succeeded: " + figures).isEqualTo(jobs);
      assertThat(d.isAlive()).isTrue();
      if (n > 3) {
        Plot.write(
            Suite.reportDir().resolve("flood.png"),
            String.format(
                "jobhost flood: %d jobs in %.0f s (1 in %d a command; worker JVMs recycled every %d)",
                succeeded, seconds, commandEvery, maxJobs),
            t,
            List.of(
                new Plot.Series("host RSS (MB)", column(rows, 1)),
                new Plot.Series("host threads", column(rows, 2)),
                new Plot.Series("host open fds", column(rows, 3)),
                new Plot.Series("state_dir/process-groups (KB)", column(rows, 4))));
        double[] bound = seconds >= 600 ? LONG_BOUNDS : SHORT_BOUNDS;
        assertThat(Plot.slope(tail(t, from), tail(column(rows, 1), from)))
            .as("RSS slope (MB/min): " + figures)
            .isLessThan(bound[0]);
        assertThat(Plot.slope(tail(t, from), tail(column(rows, 2), from)))
            .as("threads slope (/min): " + figures)
            .isLessThan(bound[1]);
        assertThat(Plot.slope(tail(t, from), tail(column(rows, 3), from)))
            .as("fds slope (/min): " + figures)
            .isLessThan(bound[2]);
      }
    }
  }

  @Test
  void theProcessGroupRecordHoldsOnlyLiveGroups() throws Exception {
    HostDir host = HostDir.write(dir, "max_workers = 4", "");
    try (HostProcess d = HostProcess.start(host.file(), dir.resolve("daemon.out"))) {
      for (int i = 0; i < 300; i++) {
        host.drop("g-" + i + ".json", "{\"type\": \"command\", \"params\": {\"argv\": \"true\"}}");
      }
      await().atMost(Duration.ofMinutes(3)).until(() -> host.files("done").size() == 300);
      // The record is rewritten to the live groups every 256 appended lines (ProcessGroups
      // COMPACT_AFTER), so after 300 jobs it holds at most that many short lines, not one per job
      // ever run (the defect: ~34 bytes per job for the daemon's whole life).
      assertThat(size(dir.resolve("var/process-groups"))).isLessThan(256L * 100);
      assertThat(d.isAlive()).isTrue();
    }
  }

  /**
   * A host of four slots whose {@code iso} jobs run on the sleeper plugin in worker JVMs recycled
   * every {@code maxJobs} jobs, with {@code tables} (TOML) after the workers' section.
   */
  private HostDir recyclingHost(int maxJobs, String tables) throws IOException {
    HostDir host =
        HostDir.write(
            dir,
            "max_workers = 4",
            "[types.iso]\nisolation = \"process\"\n\n[workers]\nmax_jobs = "
                + maxJobs
                + "\n\n"
                + tables);
    TestPlugins.sleeper(host.plugins());
    return host;
  }

  /**
   * One row of a soak's figures: minutes since {@code t0}, the host's RSS (MB), threads and open
   * file descriptors, and the sizes (KB) of {@code var/process-groups} and {@code var/jobhost.db}.
   */
  private double[] sample(long pid, long t0) throws IOException {
    ProcSample s = ProcSample.of(pid);
    return new double[] {
      (System.nanoTime() - t0) / 60e9,
      s.rssKb() / 1024.0,
      s.threads(),
      s.fds(),
      size(dir.resolve("var/process-groups")) / 1024.0,
      size(dir.resolve("var/jobhost.db")) / 1024.0
    };
  }

  private static long size(Path p) throws IOException {
    return Files.exists(p) ? Files.size(p) : 0;
  }

  private static double[] column(List<double[]> rows, int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }

  private static double[] tail(double[] a, int from) {
    return Arrays.copyOfRange(a, from, a.length);
  }

  private static double min(double[] a) {
    return Arrays.stream(a).min().orElse(0);
  }

  private static double max(double[] a) {
    return Arrays.stream(a).max().orElse(0);
  }
}
