/**
 * The persistent task table, plan and worklog that bundled plugins share.
 *
 * <p>{@link org.jobhost.store.Store} is the small face: one transaction at a time over {@link
 * org.jobhost.store.Store.Tx}, whose verbs (put a task, claim a fire, record a run's start and end)
 * compose into the few multi-step writes a scheduler needs. {@link org.jobhost.store.SqliteStore}
 * is the SQLite dialect; its schema is built only by the numbered migration scripts under {@code
 * org/jobhost/store/<dialect>/}, applied in one transaction on open and recorded in {@code
 * schema_version}. The SQL stays plain so that a PostgreSQL dialect is an added script directory
 * and a connection factory, not a rewrite; the {@code fires} table's primary key {@code (task,
 * fire_time)} is the claim that makes "fire once across hosts" possible there.
 *
 * <p>All times are stored as epoch milliseconds (UTC) so that every dialect compares them the same.
 */
package org.jobhost.store;
