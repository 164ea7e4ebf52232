/**
 * Child processes: every child the host starts leads its own process group, which the host signals
 * as a whole, records on disk while it lives, and cleans up after a crash. {@link
 * org.jobhost.host.process.Posix} is the small native surface (pid, kill).
 */
package org.jobhost.host.process;
