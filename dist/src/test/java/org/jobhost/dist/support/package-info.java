/**
 * Helpers of dist's whole-process tests beyond the shared ones of {@code org.jobhost.testsupport}
 * (the daemon as an OS process, its configuration, its command line, plugin jars): one daemon per
 * test as a JUnit extension ({@code Hosts}) and the worklog read through the command line ({@code
 * Worklog}).
 */
package org.jobhost.dist.support;
