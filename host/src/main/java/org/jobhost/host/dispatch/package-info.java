/**
 * The one loop: while a worker slot is free, ask the sources for work, run each job on the runner
 * for its type, report the outcome; sleep the idle time when there is nothing. {@link
 * org.jobhost.host.dispatch.Dispatcher} is the loop, {@link org.jobhost.host.dispatch.Execution}
 * one running job.
 */
package org.jobhost.host.dispatch;
