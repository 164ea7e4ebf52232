package org.jobhost.cron.worklog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jobhost.api.AdminView;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.Run;
import org.jobhost.store.Store;

/**
 * The worklog as a dashboard view, {@code history}: newest first, filtered by outcome, task, type
 * and time, each row with the fields of {@code jobhost history --json}. Thread-safe as its store.
 */
public final class HistoryView implements AdminView {

  /** Rows a history read returns at most. */
  static final int HISTORY_ROWS = 100;

  /** Runs a filtered history read looks through: outcome and type are filtered in memory. */
  static final int HISTORY_SCAN = 2000;

  private static final Set<String> OUTCOMES =
      Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "INTERRUPTED", "SKIPPED");

  private final Supplier<Store> store;
  private final Clock clock;

  /** Reads {@code store} (opened at the first read) with {@code clock} for {@code since}. */
  public HistoryView(Supplier<Store> store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "history";
  }

  @Override
  public String title() {
    return "Recent history";
  }

  @Override
  public List<String> columns() {
    return List.of(
        "id",
        "task",
        "job_id",
        "source",
        "type",
        "attempt",
        "started_at",
        "duration_ms",
        "outcome",
        "exit_code",
        "message");
  }

  @Override
  public List<String> filters() {
    return List.of("outcome", "task", "type", "since");
  }

  @Override
  public List<Map<String, Object>> rows(Map<String, String> filters) {
    String outcome = filters.get("outcome");
    if (outcome != null) {
      outcome = outcome.trim().toUpperCase(Locale.ROOT);
      if (!OUTCOMES.contains(outcome)) {
        throw new IllegalArgumentException(
            "outcome \""
                + filters.get("outcome")
                + "\" is none of running, succeeded, failed, timed_out, cancelled, interrupted,"
                + " skipped");
      }
    }
    String type = filters.get("type");
    Instant since = Since.parse("since", filters.get("since"), clock);
    boolean inMemory = outcome != null || type != null;
    List<Run> runs =
        store
            .get()
            .history(
                new HistoryQuery(
                    filters.get("task"), false, since, inMemory ? HISTORY_SCAN : HISTORY_ROWS));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Run r : runs) {
      Map<String, Object> row = HistoryCommand.json(r);
      if ((outcome == null || outcome.equals(row.get("outcome")))
          && (type == null || type.equals(row.get("type")))) {
        out.add(row);
        if (out.size() == HISTORY_ROWS) {
          break;
        }
      }
    }
    return out;
  }
}
