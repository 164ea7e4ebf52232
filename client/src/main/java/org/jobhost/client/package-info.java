/**
 * Enqueueing jobs for the jobhost {@code queue} plugin from an application: {@link
 * org.jobhost.client.JobQueueClient} inserts a {@link org.jobhost.client.NewJob} into the {@code
 * jobs} table through the caller's {@link java.sql.Connection}, so the job commits or rolls back
 * with the caller's own work. {@link org.jobhost.client.SqlDialect} is the database clock and the
 * recognition of a dialect, shared with the host's job store. Depends on nothing but {@code
 * java.sql}.
 */
package org.jobhost.client;
