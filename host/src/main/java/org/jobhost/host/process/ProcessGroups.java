package org.jobhost.host.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.jobhost.api.Signal;
import org.jobhost.binding.GroupLeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process groups of the host's children. Every child starts under {@code setsid}, which execs
 * in place (the spawned process is no group leader), so its pid is its group id; the host then
 * signals the whole group, reaching grandchildren that {@link Process#destroy()} would miss.
 *
 * <p>Live groups are recorded in {@code <state_dir>/process-groups}, so that a start after the host
 * was killed finds and terminates what the previous run left. The record begins with the run's id
 * ({@code run <id>}); every child is started with {@value #MARKER}{@code =<id>:<n>} in its
 * environment, which its descendants inherit, and an intent line ({@code ? <n> <job>}) is written
 * before the spawn, so a host killed between spawning a child and recording its group ({@code +
 * <pgid> <ticks> <job>}) leaves nothing unrecorded: the clean-up also scans {@code /proc} for
 * processes carrying the previous run's marker. Released groups ({@code - <pgid>}) are compacted
 * away: the file is rewritten to the live groups whenever it has grown {@value #COMPACT_AFTER}
 * lines past them, so its size follows the number of running children, not the number of jobs. The
 * daemon's {@code NOTIFY_SOCKET} and {@code WATCHDOG_*} never reach a child. Thread-safe.
 *
 * <p>It runs past 350 lines because the record file, the spawn and the clean-up after a crash are
 * one protocol: the order of intent, spawn, record and release is what makes a kill -9 at any
 * instant leave nothing unrecorded, and splitting it would spread that order over several classes.
 */
public final class ProcessGroups {

  private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
  private static final Duration POLL = Duration.ofMillis(20);

  /**
   * The environment variable that marks a child (and its descendants) as this run's. Not a {@code
   * JOBHOST_<KEY>} of a configuration key, which the configuration would read.
   */
  public static final String MARKER = "JOBHOST_RUN_MARKER";

  /** Lines the record may grow past its live content before it is rewritten. */
  static final int COMPACT_AFTER = 256;

  /** Variables of the daemon's own service manager that no job may see or use. */
  private static final List<String> SCRUBBED =
      List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID");

  /** A live group: its id, the job it belongs to, and the leader's start time in clock ticks. */
  public record Group(long pgid, String jobId, long startTicks) {}

  private final Posix posix;

  /** How long {@link #start} waits for a child to lead its group (a stall of a loaded machine). */
  static final Duration LEADER_WAIT = Duration.ofSeconds(5);

  private final ProcTable proc;
  private final Path record;
  private final Map<Long, Group> live = new ConcurrentHashMap<>();
  private final Map<Long, String> intents = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final String runId = UUID.randomUUID().toString();
  private final LongConsumer afterSpawn;
  private final String setsid;
  private int linesSinceRewrite;
  private java.io.OutputStream appender;

  /**
   * @param posix to signal groups
   * @param proc to see group members
   * @param record the record file, or {@code null} to keep none
   */
  public ProcessGroups(Posix posix, ProcTable proc, Path record) {
    this(posix, proc, record, pid -> {});
  }

  /**
   * @param afterSpawn called with a child's pid after its spawn and before its group is recorded
   *     (tests stop the host there)
   */
  ProcessGroups(Posix posix, ProcTable proc, Path record, LongConsumer afterSpawn) {
    this.posix = posix;
    this.proc = proc;
    this.record = record;
    this.afterSpawn = afterSpawn;
    this.setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid";
  }

  /**
   * Starts {@code builder}'s command as the leader of a new process group that belongs to {@code
   * jobId}. Standard input is /dev/null unless the builder redirects it.
   */
  public Process start(ProcessBuilder builder, String jobId) throws IOException {
    posix.warmUp();
    List<String> command = new ArrayList<>(builder.command());
    if (command.isEmpty()) {
      throw new IOException("job " + jobId + ": no command to start");
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(setsid);
    wrapped.addAll(command);
    List<String> original = builder.command();
    long seq = sequence.incrementAndGet();
    if (record != null) {
      intents.put(seq, jobId);
      try {
        append("? " + seq + " " + jobId);
      } catch (UncheckedIOException e) {
        intents.remove(seq);
        throw new IOException(
            e.getMessage() + "; the command of job " + jobId + " was not started", e.getCause());
      }
    }
    Process p;
    // The builder is the caller's (one per job); only the record file is shared, and append locks.
    synchronized (builder) {
      Map<String, String> env = builder.environment();
      SCRUBBED.forEach(env::remove);
      if (record != null) {
        // A host without a record (a worker JVM) keeps the marker it inherited from the daemon.
        env.put(MARKER, runId + ":" + seq);
      }
      try {
        builder.command(wrapped);
        p = builder.start();
      } catch (IOException | RuntimeException e) {
        forgetIntent(seq);
        throw e;
      } finally {
        builder.command(original);
      }
    }
    long pgid = p.pid();
    awaitLeader(p);
    afterSpawn.accept(pgid);
    long ticks = proc.read(pgid).map(ProcTable.Entry::startTicks).orElse(0L);
    Group g = new Group(pgid, jobId, ticks);
    live.put(pgid, g);
    intents.remove(seq);
    try {
      append("+ " + pgid + " " + ticks + " " + jobId);
    } catch (UncheckedIOException e) {
      // Unrecorded, the group could outlive a crash unseen: end it now.
      posix.killGroup(pgid, Signal.KILL);
      live.remove(pgid);
      throw new IOException(
          e.getMessage() + "; the command of job " + jobId + " was killed", e.getCause());
    }
    return p;
  }

  /**
   * Waits until the spawned {@code setsid} has made the child the leader of its own group (or the
   * child is gone). Until then the group does not exist: a TERM sent to it would find nothing, the
   * group would look dead and be released, and the child would run on unseen once it got there.
   * Takes well under a millisecond on a quiet machine; bounded by {@link #LEADER_WAIT}.
   */
  private void awaitLeader(Process p) {
    GroupLeader.await(p, LEADER_WAIT, pid -> proc.read(pid).map(ProcTable.Entry::pgrp).orElse(pid));
  }

  private void forgetIntent(long seq) {
    intents.remove(seq);
    try {
      compactIfDue();
    } catch (UncheckedIOException e) {
      log.warn("{}", e.getMessage());
    }
  }

  /**
   * Records a group that another process of the host started for {@code jobId} (a worker JVM's
   * child), so that timeouts, stop, forwarded signals and crash clean-up reach it too.
   */
  public void adopt(long pgid, String jobId, long startTicks) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("refusing to adopt process group " + pgid);
    }
    live.put(pgid, new Group(pgid, jobId, startTicks));
    append("+ " + pgid + " " + startTicks + " " + jobId);
  }

  /**
   * Lets the live group {@code pgid} count as {@code owner}'s from now on (a worker JVM's group
   * belongs to the job it runs while it runs it); returns whether the group was known.
   */
  public boolean assign(long pgid, String owner) {
    return live.computeIfPresent(pgid, (k, g) -> new Group(g.pgid, owner, g.startTicks)) != null;
  }

  /** The live groups of a job. */
  public List<Long> groupsOf(String jobId) {
    List<Long> out = new ArrayList<>();
    for (Group g : live.values()) {
      if (g.jobId.equals(jobId)) {
        out.add(g.pgid);
      }
    }
    return out;
  }

  /** Every live group. */
  public Collection<Group> all() {
    return List.copyOf(live.values());
  }

  /** Sends {@code signal} to each group; returns how many existed. */
  public int signal(Collection<Long> pgids, Signal signal) {
    int n = 0;
    for (long pgid : pgids) {
      if (posix.killGroup(pgid, signal)) {
        n++;
      }
    }
    return n;
  }

  /** Sends {@code signal} to every live group. */
  public int signalAll(Signal signal) {
    List<Long> ids = new ArrayList<>(live.keySet());
    return signal(ids, signal);
  }

  /**
   * Whether any member of the group is still alive. {@code kill(-pgid, 0)} answers the common case
   * (nothing left) without reading /proc; only when the group exists is /proc read, so that zombies
   * waiting for PID 1 count as gone.
   */
  public boolean alive(long pgid) {
    return posix.groupExists(pgid) && proc.groupAlive(pgid);
  }

  /**
   * Ends the groups: TERM, then KILL to what is left after {@code killTimeout}; returns once no
   * member is alive (or a second after the KILL). Blocks the calling thread.
   */
  public void terminate(Collection<Long> pgids, Duration killTimeout) {
    List<Long> left = new ArrayList<>();
    for (long pgid : pgids) {
      if (alive(pgid)) {
        posix.killGroup(pgid, Signal.TERM);
        // A stopped group must run to act on TERM.
        posix.killGroup(pgid, Signal.CONT);
        left.add(pgid);
      }
    }
    if (!left.isEmpty() && !awaitGone(left, killTimeout)) {
      for (long pgid : left) {
        if (alive(pgid)) {
          log.warn(
              "process group {} ignored TERM for {} ms; sending KILL",
              pgid,
              killTimeout.toMillis());
          posix.killGroup(pgid, Signal.KILL);
        }
      }
      awaitGone(left, Duration.ofSeconds(1));
    }
    for (long pgid : pgids) {
      release(pgid);
    }
  }

  /** Forgets a group once nothing of it lives. */
  public void release(long pgid) {
    if (live.remove(pgid) != null) {
      append("- " + pgid);
      compactIfDue();
    }
  }

  /** Rewrites the record to the live groups and pending intents once enough lines are stale. */
  private synchronized void compactIfDue() {
    if (record == null || linesSinceRewrite < COMPACT_AFTER) {
      return;
    }
    rewrite();
  }

  private synchronized void rewrite() {
    StringBuilder b = new StringBuilder("run ").append(runId).append('\n');
    intents.forEach((seq, job) -> b.append("? ").append(seq).append(' ').append(job).append('\n'));
    for (Group g : live.values()) {
      b.append("+ ")
          .append(g.pgid)
          .append(' ')
          .append(g.startTicks)
          .append(' ')
          .append(g.jobId)
          .append('\n');
    }
    try {
      Files.createDirectories(record.getParent());
      Path tmp = record.resolveSibling(record.getFileName() + ".tmp");
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      // The open appender still points at the replaced file.
      closeAppender();
      linesSinceRewrite = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + record + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Terminates the groups that an earlier run recorded and that are still alive (the host was
   * killed before it could end them), and every process that still carries the earlier run's
   * {@value #MARKER} (a child spawned but not yet recorded when the host died, or a descendant that
   * left its group), logging each; then starts a fresh record for this run.
   *
   * @return how many groups were found alive
   * @throws UncheckedIOException naming the record when the fresh record cannot be written (the
   *     host must not run children it cannot record)
   */
  public int cleanUpAfterCrash(Duration killTimeout) {
    if (record == null) {
      return 0;
    }
    Map<Long, Group> recorded = new LinkedHashMap<>();
    Map<String, String> intended = new LinkedHashMap<>();
    String previousRun = null;
    if (Files.isRegularFile(record)) {
      try {
        for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
          String[] f = line.trim().split(" ", 4);
          try {
            if (f[0].equals("run") && f.length >= 2) {
              previousRun = f[1];
            } else if (f[0].equals("?") && f.length >= 3) {
              intended.put(f[1], line.trim().split(" ", 3)[2]);
            } else if (f[0].equals("+") && f.length == 4) {
              long pgid = Long.parseLong(f[1]);
              recorded.put(pgid, new Group(pgid, f[3], Long.parseLong(f[2])));
            } else if (f[0].equals("-") && f.length >= 2) {
              recorded.remove(Long.parseLong(f[1]));
            }
          } catch (NumberFormatException e) {
            log.warn("{}: skipping a damaged line: {}", record, line);
          }
        }
      } catch (IOException e) {
        log.warn("cannot read {}: {}; no clean-up of recorded children", record, e.toString());
      }
    }
    java.util.Set<Long> survivors = new java.util.LinkedHashSet<>();
    for (Group g : recorded.values()) {
      List<ProcTable.Entry> members = proc.members(g.pgid);
      // A member started before the recorded leader belongs to a reused id, not to our group.
      boolean ours = members.stream().anyMatch(e -> e.startTicks() >= g.startTicks);
      if (ours) {
        log.warn(
            "process group {} of job={} survived the previous run ({} processes); terminating it",
            g.pgid,
            g.jobId,
            members.size());
        survivors.add(g.pgid);
      }
    }
    if (previousRun != null) {
      long self = ProcessHandle.current().pid();
      long ownGroup = proc.read(self).map(ProcTable.Entry::pgrp).orElse(-1L);
      for (ProcTable.Entry e : proc.carrying(MARKER + "=" + previousRun + ":")) {
        if (e.pid() == self || e.pgrp() == ownGroup || e.pgrp() <= 1) {
          continue;
        }
        if (survivors.add(e.pgrp())) {
          String seq =
              proc.environmentValue(e.pid(), MARKER)
                  .map(v -> v.substring(v.indexOf(':') + 1))
                  .orElse("?");
          log.warn(
              "process group {} (pid {}, job={}) of the previous run was never recorded or left"
                  + " its group; terminating it",
              e.pgrp(),
              e.pid(),
              intended.getOrDefault(seq, "unknown"));
        }
      }
    }
    for (long pgid : survivors) {
      // Known for the clean-up below; released by terminate.
      live.putIfAbsent(pgid, new Group(pgid, "previous-run", 0));
    }
    terminate(new ArrayList<>(survivors), killTimeout);
    rewrite();
    return survivors.size();
  }

  private boolean awaitGone(List<Long> pgids, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      boolean any = false;
      for (long pgid : pgids) {
        if (alive(pgid)) {
          any = true;
          break;
        }
      }
      if (!any) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private synchronized void append(String line) {
    if (record == null) {
      return;
    }
    try {
      if (appender == null) {
        Files.createDirectories(record.getParent());
        appender =
            Files.newOutputStream(record, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      // Unbuffered: each line reaches the kernel at once, so a host killed after this survives it.
      appender.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      linesSinceRewrite++;
    } catch (IOException e) {
      closeAppender();
      throw new UncheckedIOException("cannot write " + record + " (" + e.getMessage() + ")", e);
    }
  }

  private synchronized void closeAppender() {
    if (appender != null) {
      try {
        appender.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", record, e.toString());
      }
      appender = null;
    }
  }
}
