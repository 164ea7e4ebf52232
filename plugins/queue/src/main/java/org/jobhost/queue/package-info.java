/**
 * The {@code queue} plugin: jobs from the {@code jobs} table of a database that one host (SQLite)
 * or many hosts (PostgreSQL) share, with heartbeats that let any live host recover the jobs of a
 * dead one, a {@code LISTEN} that wakes idle hosts at once, and the {@code enqueue}, {@code queue}
 * and {@code cluster} commands, and views of the same for dashboards ({@link
 * org.jobhost.queue.QueueViews}).
 *
 * <p>{@link org.jobhost.queue.QueueSource} owns two threads, both stopped in its {@code close()}:
 * {@code queue-heartbeat} ({@link org.jobhost.queue.Heartbeat}) and, on PostgreSQL, {@code
 * queue-listen} ({@link org.jobhost.queue.NotifyListener}).
 */
package org.jobhost.queue;
