/**
 * The persistent task table, plan, worklog and job queue that bundled plugins share, on SQLite (one
 * host) or PostgreSQL (many hosts).
 *
 * <p>{@link org.jobhost.store.Store} is the small face of the schedules: one transaction at a time
 * over {@link org.jobhost.store.Store.Tx}, whose verbs (put a task, claim a fire, record a run's
 * start and end) compose into the few multi-step writes a scheduler needs. {@link
 * org.jobhost.store.SqliteStore} and {@link org.jobhost.store.PostgresStore} run the same SQL (the
 * verbs by table: {@code TaskTable}, {@code PlanTable}, {@code WorklogTable}); the {@code fires}
 * table's primary key {@code (task, fire_time)} is the claim that makes a fire run once across
 * hosts. The job queue over the {@code jobs} and {@code hosts} tables has three faces: {@link
 * org.jobhost.store.JobQueue} for a host's workers (batch claims with {@code FOR UPDATE SKIP
 * LOCKED} on PostgreSQL, idempotent write-backs), {@link org.jobhost.store.HostRegistry} for the
 * cluster (heartbeats, the recovery of dead hosts' jobs, pruning) and {@link
 * org.jobhost.store.QueueAdmin} for operators; a job's state is a {@link
 * org.jobhost.store.JobState}. Every statement binds its parameters through {@code Jdbc}.
 *
 * <p>{@link org.jobhost.store.Database} opens either dialect ({@link
 * org.jobhost.store.DatabaseSettings}, read from a plugin's section) and applies the numbered
 * migration scripts under {@code org/jobhost/store/<dialect>/} in one transaction, recorded in
 * {@code schema_version} (serialised by an advisory lock on PostgreSQL, so hosts that start
 * together do not race).
 *
 * <p>All times are stored as epoch milliseconds (UTC) so that every dialect compares them the same;
 * the queue's times come from the database's clock.
 */
package org.jobhost.store;
