/**
 * The {@code cron} plugin's schedule: a {@link org.jobhost.api.JobSource} over the task table of
 * {@code org.jobhost.store}, the {@code jobhost tasks} command, and the task table (with the
 * worklog of {@link org.jobhost.cron.worklog}) as views for dashboards ({@link
 * org.jobhost.cron.CronViews}).
 *
 * <p>The scheduling logic lives in the package-private {@code Scheduler}, driven by an injected
 * clock: tests call {@code poll} and set the clock, never sleep.
 */
package org.jobhost.cron;
