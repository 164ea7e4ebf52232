package ${package};

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginContext;
import org.jobhost.api.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out {@code count} jobs of type {@value ExampleRunner#TYPE}, one per name in {@code names}
 * (cycling), then nothing. Settings ({@code [plugins.${pluginId}]}): {@code count} (default 3),
 * {@code names} (default ["world"]). Thread-safe: the host polls it on one thread and tells it the
 * outcomes on others.
 */
public final class ExampleSource implements JobSource {

  private static final Logger log = LoggerFactory.getLogger(ExampleSource.class);

  /** The settings this source knows ({@code enabled} is the host's and never reaches it). */
  static final Set<String> KEYS = Set.of("count", "names");

  private long count;
  private List<String> names = List.of("world");
  private long emitted;

  @Override
  public synchronized void init(PluginContext context) {
    apply(context.settings());
    log.info("${pluginId} source: {} jobs for {}", count, names);
  }

  @Override
  public void validateSettings(PluginSettings settings) {
    read(settings);
  }

  @Override
  public synchronized void settingsChanged(PluginSettings settings) {
    apply(settings);
  }

  @Override
  public synchronized List<Job> poll(int max) {
    List<Job> out = new ArrayList<>();
    while (out.size() < max && emitted < count) {
      emitted++;
      String name = names.get((int) ((emitted - 1) % names.size()));
      out.add(new Job("${pluginId}-" + emitted, ExampleRunner.TYPE, Map.of("name", name)));
    }
    return out;
  }

  @Override
  public void completed(Job job, Outcome outcome) {
    log.info("job={} {}", job.id(), outcome.message());
  }

  private void apply(PluginSettings settings) {
    Settings s = read(settings);
    count = s.count();
    names = s.names();
  }

  /** Checks every key; throws a SettingsException naming the key, its line and the fix. */
  private static Settings read(PluginSettings settings) {
    settings.requireOnly(KEYS);
    long count = settings.integer("count", 3);
    if (count < 0) {
      throw settings.invalid("count", "must be 0 or more (was " + count + ")");
    }
    List<String> names = settings.has("names") ? settings.strings("names") : List.of("world");
    if (names.isEmpty()) {
      throw settings.invalid("names", "must name at least one");
    }
    return new Settings(count, names);
  }

  private record Settings(long count, List<String> names) {}
}
