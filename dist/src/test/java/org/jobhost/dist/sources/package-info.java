/**
 * Whole-process tests of the job sources (cron task table, spool directory, worklog, retries), run
 * by failsafe against the assembled tree.
 */
package org.jobhost.dist.sources;
