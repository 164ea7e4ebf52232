package org.jobhost.api;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A table a plugin shows to operators' tools, with named actions on its rows: the cron plugin's
 * task table ({@code enable}, {@code disable}, {@code run}) and worklog, the queue's stats and dead
 * jobs ({@code retry}). A plugin hands it to the host with {@link PluginContext#publishView}; a
 * dashboard (the bundled {@code web} plugin) finds it through {@link Host#views()}, shows its rows
 * and offers its actions without knowing the plugin's classes.
 *
 * <p>Rows are JSON-ready maps: keys are field names (lower-case, {@code _}), values are {@code
 * null}, strings, numbers, booleans, or lists and maps of these. Where the plugin has a {@code
 * --json} command, a row has the same fields as that command prints. Reading never changes
 * anything; actions are the only writes, and a tool must ask the operator's credentials before it
 * calls {@link #act}.
 *
 * <p>Thread-safe: {@link #rows} and {@link #act} are called on the tool's request threads,
 * concurrently. They may read or write the plugin's database, but should return within a second or
 * so.
 */
public interface AdminView {

  /**
   * The view's name, unique in the host and stable: lower-case letters, digits and {@code -},
   * starting with a letter, such as {@code tasks} or {@code dead-jobs}. Tools use it in addresses
   * ({@code /api/views/tasks}).
   */
  String name();

  /** A short heading for people, such as {@code "Cron tasks"}. */
  String title();

  /**
   * The field of a row that identifies it for {@link #act} (a task's {@code name}, a job's {@code
   * id}). Defaults to {@code id}.
   */
  default String key() {
    return "id";
  }

  /**
   * The fields a table shows by default, in order, where rows carry more than fits on a screen (a
   * tool offers the rest, as {@code /api/} does). Empty, the default, means every field.
   */
  default List<String> columns() {
    return List.of();
  }

  /**
   * The filters {@link #rows} understands, by name ({@code outcome}, {@code since}, ...), in the
   * order a tool should show them; none by default.
   */
  default List<String> filters() {
    return List.of();
  }

  /**
   * The actions a row offers, by name ({@code run}, {@code retry}, ...), in the order a tool should
   * show them; none by default (a read-only view).
   */
  default List<String> actions() {
    return List.of();
  }

  /**
   * The rows now, at most a few hundred, in the order to show them.
   *
   * @param filters filter name to the operator's value; only names from {@link #filters()}, blank
   *     values left out
   * @throws IllegalArgumentException when a filter's value is invalid; its message names the filter
   *     and the values it takes, and a tool shows it to the operator
   * @throws Exception anything else: a tool reports it as a failure of the view
   */
  List<Map<String, Object>> rows(Map<String, String> filters) throws Exception;

  /**
   * Performs an action on one row.
   *
   * @param action a name from {@link #actions()}
   * @param key the row's {@link #key()} field
   * @return one line for the operator saying what was done, such as {@code "queued job 12 again"}
   * @throws NoSuchElementException when no row has this key (the message names it)
   * @throws IllegalArgumentException when the action is unknown or cannot be done to this row now
   *     (the message says why)
   * @throws Exception anything else: a tool reports it as a failure of the action
   */
  default String act(String action, String key) throws Exception {
    throw new IllegalArgumentException("view " + name() + " has no action \"" + action + "\"");
  }
}
