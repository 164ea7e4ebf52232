/**
 * The progress line of {@code jobhost run --exit-when-idle} on a terminal: jobs done of the known
 * total, rate and time left, redrawn in place on stderr.
 */
package org.jobhost.host.cli.progress;
