/**
 * The {@code spool} plugin: a directory queue. A JSON job file dropped into {@code <dir>/incoming/}
 * is claimed by an atomic rename into {@code active/}, run, and moved to {@code done/} (with {@code
 * <name>.outcome.json} beside it) or {@code failed/} (with {@code <name>.error}).
 *
 * <p>The work is in the package-private {@code Spool}, driven by an injected clock; {@code
 * SpoolWatcher} is the one thread, which only wakes the dispatcher.
 */
package org.jobhost.spool;
