package org.jobhost.queue;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import org.jobhost.store.Database;
import org.jobhost.store.HostRegistry;
import org.jobhost.store.HostRow;
import org.jobhost.store.cli.Json;
import org.jobhost.store.cli.JsonOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jobhost cluster [--json]}: the hosts on the queue's database, with their last heartbeat,
 * version, running jobs and state. Not thread-safe (one command per process).
 *
 * <p>{@code --json} prints an array of {@code {name, pid, version, started_at, last_heartbeat,
 * heartbeat_age_s, state, running}}.
 */
public final class ClusterCommand implements PicocliCommand {

  private Database db;
  private HostRegistry registry;

  /** Created by the host; nothing happens before {@link #init}. */
  public ClusterCommand() {}

  @Override
  public void init(PluginContext context) {
    QueueSettings s = QueueSettings.parse(context.settings(), context);
    db = Database.open(s.database(), "queue-cli", context.clock());
    registry = new HostRegistry(db);
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public String summary() {
    return "list the hosts sharing the queue's database: heartbeat, version, running jobs, state";
  }

  @Override
  public Object picocliCommand() {
    return new Listing();
  }

  /** One invocation's options, fresh for every parse. */
  @Command(
      name = "cluster",
      mixinStandardHelpOptions = true,
      description = "List the hosts sharing the queue's database: heartbeat, version, jobs, state.")
  final class Listing implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin JsonOption json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<HostRow> hosts = registry.hosts();
      if (json.isSet()) {
        List<Object> rows = new ArrayList<>();
        for (HostRow h : hosts) {
          rows.add(QueueViews.hostRow(h));
        }
        out.println(Json.write(rows));
        return 0;
      }
      out.printf(
          "%-28s %-8s %-16s %-9s %-8s %s%n",
          "HOST", "PID", "VERSION", "STATE", "RUNNING", "HEARTBEAT");
      for (HostRow h : hosts) {
        out.printf(
            "%-28s %-8d %-16s %-9s %-8d %.1fs ago%n",
            h.name(), h.pid(), h.version(), h.state(), h.running(), h.secondsSinceHeartbeat());
      }
      return 0;
    }
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }
}
