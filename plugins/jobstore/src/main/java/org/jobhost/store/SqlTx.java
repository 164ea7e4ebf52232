package org.jobhost.store;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Store.Tx} in plain SQL that SQLite (3.35 and later) and PostgreSQL both accept: each verb
 * goes to the class of its tables ({@link TaskTable}, {@link PlanTable}, {@link WorklogTable}).
 * Confined to the thread of one transaction; not thread-safe.
 */
final class SqlTx implements Store.Tx {

  private final TaskTable tasks;
  private final PlanTable plan;
  private final WorklogTable worklog;

  SqlTx(Connection c, String location) {
    TxSql tx = new TxSql(c, location);
    this.tasks = new TaskTable(tx);
    this.plan = new PlanTable(tx);
    this.worklog = new WorklogTable(tx);
  }

  @Override
  public List<Task> tasks() {
    return tasks.tasks();
  }

  @Override
  public Optional<Task> task(String name) {
    return tasks.task(name);
  }

  @Override
  public boolean putTask(Task task, Instant now) {
    return tasks.putTask(task, now);
  }

  @Override
  public boolean removeTask(String name) {
    return tasks.removeTask(name);
  }

  @Override
  public Store.Sync syncConfigTasks(List<Task> configured, Instant now) {
    return tasks.syncConfigTasks(configured, now);
  }

  @Override
  public Map<String, Instant> plan() {
    return plan.plan();
  }

  @Override
  public void setPlan(String task, Instant nextFire, Instant now) {
    plan.setPlan(task, nextFire, now);
  }

  @Override
  public void clearPlan(String task) {
    plan.clearPlan(task);
  }

  @Override
  public List<RunRequest> requests() {
    return plan.requests();
  }

  @Override
  public long addRequest(RunRequest request) {
    return plan.addRequest(request);
  }

  @Override
  public boolean takeRequest(long id) {
    return plan.takeRequest(id);
  }

  @Override
  public boolean claimFire(String task, Instant fireTime, String host, Instant now) {
    return plan.claimFire(task, fireTime, host, now);
  }

  @Override
  public long runStarted(RunStart start) {
    return worklog.runStarted(start);
  }

  @Override
  public Optional<Long> runStartedUnlessOpen(RunStart start) {
    return worklog.runStartedUnlessOpen(start);
  }

  @Override
  public boolean runEnded(long id, RunEnd end) {
    return worklog.runEnded(id, end);
  }

  @Override
  public Optional<Long> runEnded(
      String source, String jobId, int attempt, String host, RunEnd end) {
    return worklog.runEnded(source, jobId, attempt, host, end);
  }

  @Override
  public List<Run> closeInterrupted(String host, Instant now) {
    return worklog.closeInterrupted(host, now);
  }

  @Override
  public List<Run> history(HistoryQuery query) {
    return worklog.history(query);
  }

  @Override
  public int prune(int keepPerSubject, Instant endedBefore) {
    return worklog.prune(keepPerSubject, endedBefore);
  }
}
