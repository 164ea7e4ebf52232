package org.jobhost.host.control;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.RunningJob;

/**
 * The answer to the control request {@code top}: the {@code status} fields, then {@code now} (the
 * daemon's clock), the running jobs ({@code running} = how many run, {@code running.N.id}, {@code
 * .type}, {@code .source}, {@code .started}, oldest first, at most {@link #MAX_RUNNING} of them),
 * then the counters per type and the last failures of {@link JobActivity#fields()}. Additive to the
 * protocol: older clients never ask for it. Stateless; thread-safe.
 */
final class TopAnswer {

  /** How many running jobs an answer lists (a screen shows fewer; the count is always exact). */
  static final int MAX_RUNNING = 200;

  private TopAnswer() {}

  static Map<String, String> fields(
      Map<String, String> status, List<RunningJob> running, JobActivity activity, Instant now) {
    Map<String, String> f = new LinkedHashMap<>(status);
    f.put("now", now.toString());
    f.put("running", Integer.toString(running.size()));
    int i = 0;
    for (RunningJob r : running) {
      if (i == MAX_RUNNING) {
        break;
      }
      String p = "running." + ++i + ".";
      f.put(p + "id", r.job().id());
      f.put(p + "type", r.job().type());
      f.put(p + "source", r.source());
      f.put(p + "started", r.started().toString());
    }
    f.putAll(activity.fields());
    return f;
  }
}
