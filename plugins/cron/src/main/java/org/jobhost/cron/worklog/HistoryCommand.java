package org.jobhost.cron.worklog;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Durations;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.Run;
import org.jobhost.store.cli.Json;
import org.jobhost.store.cli.JsonOption;
import org.jobhost.store.cli.RowLimit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jobhost history [TASK] [--failed] [--since D] [--limit N] [--json]}: the worklog, newest
 * first. Not thread-safe (one command per process).
 *
 * <p>{@code --json} prints one array of objects with the fields {@code id, task, job_id, source,
 * type, attempt, host, fire_time, started_at, ended_at, outcome, exit_code, duration_ms, message,
 * output_tail}; times are ISO-8601 UTC, {@code outcome} is {@code RUNNING} while a run goes.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Show the worklog, newest first: when each job ran, how it ended, its output.")
public final class HistoryCommand extends DatabaseCommand {

  static final int DEFAULT_LIMIT = 50;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TASK|JOB-ID",
      description = "Only the runs of this task or job.")
  String subject;

  @Option(names = "--failed", description = "Only runs that did not succeed.")
  boolean failed;

  @Option(
      names = "--since",
      paramLabel = "D|TIME|DATE",
      description = "Only runs since then: 2h, 2024-05-01T10:00:00Z or 2024-05-01.")
  String sinceText;

  @Mixin RowLimit limit = new RowLimit(DEFAULT_LIMIT);

  @Mixin JsonOption json;

  /** Created by the host; nothing happens before {@link #init}. */
  public HistoryCommand() {}

  @Override
  public String name() {
    return "history";
  }

  @Override
  public String summary() {
    return "show the worklog: when each job ran, how it ended, the tail of its output";
  }

  @Override
  public Object picocliCommand() {
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    int max = limit.value();
    try {
      HistoryQuery q = new HistoryQuery(subject, failed, since(), max);
      List<Run> runs = store().history(q);
      if (json.isSet()) {
        out.println(Json.write(runs.stream().map(HistoryCommand::json).toList()));
      } else {
        table(runs, out);
      }
      return 0;
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (RuntimeException e) {
      // A printed error is a failed command: never exit 0 after it.
      err.println("jobhost history: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private Instant since() {
    try {
      return Since.parse("--since", sinceText, clock());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** A run as one element of {@code --json} (and one row of the history view). */
  static Map<String, Object> json(Run r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("task", r.start().task());
    m.put("job_id", r.start().jobId());
    m.put("source", r.start().source());
    m.put("type", r.start().jobType());
    m.put("attempt", r.start().attempt());
    m.put("host", r.start().host());
    m.put("fire_time", r.start().fireTime() == null ? null : r.start().fireTime().toString());
    m.put("started_at", r.startedAt().toString());
    m.put("ended_at", r.end() == null ? null : r.end().endedAt().toString());
    m.put("outcome", r.end() == null ? "RUNNING" : r.end().outcome().name());
    m.put("exit_code", r.end() == null ? null : r.end().exitCode());
    m.put("duration_ms", r.duration().map(d -> d.toMillis()).orElse(null));
    m.put("message", r.end() == null ? "" : r.end().message());
    m.put("output_tail", r.end() == null ? "" : r.end().outputTail());
    return m;
  }

  private void table(List<Run> runs, PrintWriter out) {
    String fmt = "%-6s %-19s %-19s %-11s %4s %9s  %-24s %s%n";
    out.printf(fmt, "ID", "STARTED", "ENDED", "OUTCOME", "EXIT", "DURATION", "TASK/JOB", "OUTPUT");
    for (Run r : runs) {
      String tail = r.end() == null ? "" : lastLine(r.end().outputTail());
      if (tail.isEmpty() && r.end() != null) {
        tail = r.end().message();
      }
      out.printf(
          fmt,
          r.id(),
          TIME.format(r.startedAt().atZone(clock().getZone())),
          r.end() == null ? "-" : TIME.format(r.end().endedAt().atZone(clock().getZone())),
          r.end() == null ? "RUNNING" : r.end().outcome().name(),
          r.end() == null || r.end().exitCode() == null ? "-" : r.end().exitCode().toString(),
          r.duration().map(d -> Durations.format(d)).orElse("-"),
          r.subject() + (r.start().attempt() > 1 ? " #" + r.start().attempt() : ""),
          tail.length() > 60 ? tail.substring(0, 57) + "..." : tail);
    }
  }

  private static String lastLine(String s) {
    String t = s.strip();
    int nl = t.lastIndexOf('\n');
    return nl < 0 ? t : t.substring(nl + 1);
  }
}
