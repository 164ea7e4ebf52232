/**
 * The one loop: while a worker slot is free, ask the sources for work, run each job on the runner
 * for its type, report the outcome; sleep the idle time when there is nothing. {@link
 * org.jobhost.host.dispatch.Dispatcher} is the loop and the public face, {@link
 * org.jobhost.host.dispatch.Execution} one running attempt; beside them, package-private: the
 * source poller and backlog, the slots, the set of running attempts, the attempt runner (outcome
 * mapping), the stop escalation (timeouts, TERM, KILL, abandon) and the attempt's single end with
 * its retry decision.
 */
package org.jobhost.host.dispatch;
