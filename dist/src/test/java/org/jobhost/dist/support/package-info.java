/**
 * Helpers of the whole-process tests of the job sources: start and stop the assembled daemon as an
 * OS process ({@code HostProcess}), write its configuration into a temporary directory ({@code
 * HostConfig}), read the worklog through the command line ({@code Worklog}).
 */
package org.jobhost.dist.support;
