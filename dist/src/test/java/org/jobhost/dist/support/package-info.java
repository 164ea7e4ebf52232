/**
 * Helpers of dist's whole-process tests beyond the shared ones of {@code org.jobhost.testsupport}
 * (the daemon as an OS process, its configuration, its command line, plugin jars): one daemon per
 * test as a JUnit extension ({@code Hosts}), the worklog read through the command line ({@code
 * Worklog}) and job files dropped into a spool ({@code SpoolFiles}).
 */
package org.jobhost.dist.support;
