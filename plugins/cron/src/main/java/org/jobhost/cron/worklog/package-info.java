/**
 * The worklog: one row per run of every job the host runs, whatever its source. {@link
 * org.jobhost.cron.worklog.WorklogListener} records the jobs of other sources (the cron scheduler
 * records its own before they start, ending them with {@link org.jobhost.cron.worklog.RunEnds}),
 * {@link org.jobhost.cron.worklog.WorklogPruner} keeps it bounded, and {@code jobhost history}
 * ({@link org.jobhost.cron.worklog.HistoryCommand}) and the dashboards ({@link
 * org.jobhost.cron.worklog.HistoryView}) read it. The table itself is {@code org.jobhost.store}'s.
 *
 * <p>This package does not use {@code org.jobhost.cron}; the schedule uses it.
 */
package org.jobhost.cron.worklog;
