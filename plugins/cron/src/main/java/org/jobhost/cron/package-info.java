/**
 * The {@code cron} plugin: a {@link org.jobhost.api.JobSource} over the task table of {@code
 * org.jobhost.store}, a {@link org.jobhost.api.HostListener} that records every other job in the
 * worklog, the {@code jobhost tasks} and {@code jobhost history} commands, and the same task table
 * and worklog as views for dashboards ({@link org.jobhost.cron.CronViews}).
 *
 * <p>The scheduling logic lives in the package-private {@code Scheduler}, driven by an injected
 * clock: tests call {@code poll} and set the clock, never sleep.
 */
package org.jobhost.cron;
