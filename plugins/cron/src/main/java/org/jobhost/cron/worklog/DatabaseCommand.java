package org.jobhost.cron.worklog;

import java.time.Clock;
import org.jobhost.api.PicocliCommand;
import org.jobhost.api.PluginContext;
import org.jobhost.store.Store;

/**
 * A command of the cron plugin that works on the database itself ({@code jobhost tasks}, {@code
 * jobhost history}), whether or not the daemon runs: {@link #init} opens a store of its own, {@link
 * #close} closes it. The command is its own picocli command: the subclass is annotated with
 * {@code @Command} and declares its options. Not thread-safe (one command per process).
 */
public abstract class DatabaseCommand extends Invocation implements PicocliCommand {

  private Store store;
  private Clock clock;

  /** For the commands of this plugin. */
  protected DatabaseCommand() {}

  /** The database of {@code [plugins.cron]}; open after {@link #init}. */
  public final Store store() {
    return store;
  }

  /** The host's clock; set by {@link #init}. */
  public final Clock clock() {
    return clock;
  }

  @Override
  public final void init(PluginContext context) {
    this.clock = context.clock();
    this.store = WorklogDatabase.open(context.settings(), context);
  }

  @Override
  public final void close() {
    if (store != null) {
      store.close();
    }
  }
}
