/**
 * Support of the reliability suite: the assembled tree and the run's sizes ({@code Tree}), a daemon
 * as an OS process ({@code Daemon}), its directory and spool ({@code HostDir}), command lines
 * ({@code Cli}), {@code /proc} readings ({@code ProcSample}) and plugin jars made in a test ({@code
 * PluginJar}).
 */
package org.jobhost.reliability.support;
