package org.jobhost.queue;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jobhost.api.CliCommand;
import org.jobhost.api.Durations;
import org.jobhost.api.PluginContext;
import org.jobhost.client.NewJob;
import org.jobhost.store.Database;
import org.jobhost.store.JobQueue;
import org.jobhost.store.cli.Args;

/**
 * {@code jobhost enqueue TYPE [--param K=V]... [--at TIME] [--priority N] [--unique KEY]
 * [--max-attempts N] [--timeout D] [--strict-type]}: puts one job into the queue. Not thread-safe
 * (one command per process).
 *
 * <p>Hosts do not record which job types they have runners for, so whether some host can run the
 * type is judged from the queue's own rows ({@link JobQueue#typeRecord}): a type no job of which
 * ever succeeded here gets a warning on standard error (stronger when the newest such job died for
 * want of a runner), and {@code --strict-type} refuses it with exit code 1.
 */
public final class EnqueueCommand implements CliCommand {

  static final String USAGE =
      "usage: jobhost enqueue TYPE [--param K=V]... [--at TIME|+DURATION] [--priority N]"
          + " [--unique KEY] [--max-attempts N] [--timeout D] [--strict-type]";

  private Database db;
  private JobQueue queue;
  private Clock clock;

  /** Created by the host; nothing happens before {@link #init}. */
  public EnqueueCommand() {}

  @Override
  public void init(PluginContext context) {
    clock = context.clock();
    QueueSettings s = QueueSettings.parse(context.settings(), context);
    db = Database.open(s.database(), "queue-cli", clock);
    queue = new JobQueue(db);
  }

  @Override
  public String name() {
    return "enqueue";
  }

  @Override
  public String summary() {
    return "put a job into the queue (TYPE --param k=v --at TIME --priority N --unique KEY)";
  }

  @Override
  public int run(List<String> args, Console console) {
    PrintWriter out = console.out();
    PrintWriter err = console.err();
    NewJob job;
    boolean strictType;
    try {
      Args a =
          Args.parse(
              args,
              Set.of("--param", "--at", "--priority", "--unique", "--max-attempts", "--timeout"),
              Set.of("--strict-type"));
      strictType = a.flag("--strict-type");
      if (a.positional().size() != 1) {
        throw new Args.UsageException("exactly one TYPE is expected");
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (String p : a.values("--param")) {
        int eq = p.indexOf('=');
        if (eq < 1) {
          throw new Args.UsageException("--param takes KEY=VALUE (was \"" + p + "\")");
        }
        params.put(p.substring(0, eq), p.substring(eq + 1));
      }
      job =
          NewJob.of(a.positional().get(0), params)
              .withPriority(a.intValue("--priority", 0, Integer.MIN_VALUE))
              .withUniqueKey(a.value("--unique", null))
              .withMaxAttempts(a.intValue("--max-attempts", 0, 0));
      String at = a.value("--at", null);
      if (at != null) {
        job = job.withRunAt(parseTime(at, clock));
      }
      String timeout = a.value("--timeout", null);
      if (timeout != null) {
        job = job.withTimeout(Durations.parse(timeout));
      }
    } catch (Args.UsageException | IllegalArgumentException e) {
      err.println("jobhost enqueue: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    String doubt = typeDoubt(job.type(), queue.typeRecord(job.type()));
    if (doubt != null) {
      if (strictType) {
        err.println("jobhost enqueue: " + doubt + "; nothing enqueued (--strict-type)");
        return 1;
      }
      err.println(
          "jobhost enqueue: warning: "
              + doubt
              + "; enqueued anyway (--strict-type refuses such a job)");
    }
    OptionalLong id = queue.enqueue(job);
    if (id.isEmpty()) {
      out.println(
          "a job with unique key "
              + job.uniqueKey()
              + " is already queued or running; nothing enqueued");
      return 0;
    }
    out.println("enqueued job " + id.getAsLong() + " (type " + job.type() + ")");
    return 0;
  }

  /** Why a job of {@code type} may never run, or {@code null} when a host ran one before. */
  static String typeDoubt(String type, JobQueue.TypeRecord record) {
    if (record.ran()) {
      return null;
    }
    if (record.noRunner() != null) {
      return "the last job of type \""
          + type
          + "\" died because its host had no runner for it ("
          + record.noRunner()
          + ") and none has succeeded since; install the plugin that runs it on the hosts";
    }
    return "no job of type \""
        + type
        + "\" has run in this queue yet, and the hosts do not tell which types they can run;"
        + " check the spelling, and that the hosts have a plugin whose runner lists it (jobhost"
        + " plugins on a host)";
  }

  /**
   * {@code +30s} (from now), an ISO-8601 instant or offset time, or a local date-time in the host's
   * zone.
   */
  static Instant parseTime(String text, Clock clock) {
    if (text.startsWith("+")) {
      return clock.instant().plus(Durations.parse(text.substring(1)));
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      try {
        return LocalDateTime.parse(text).atZone(clock.getZone()).toInstant();
      } catch (DateTimeException e2) {
        throw new IllegalArgumentException(
            "--at \""
                + text
                + "\" is no time; use +30s, 2026-01-31T08:00:00Z or 2026-01-31T09:00:00 (local)");
      }
    }
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }
}
