/**
 * Support of the reliability suite: the run's sizes ({@code Suite}), a daemon's directory and spool
 * ({@code HostDir}) and {@code /proc} readings ({@code ProcSample}). The tree, its daemon as an OS
 * process and its command line come from {@code org.jobhost.testsupport}, shared with dist's tests.
 */
package org.jobhost.reliability.support;
