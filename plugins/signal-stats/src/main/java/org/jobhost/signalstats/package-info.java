/** The signal-stats plugin: on USR2 (or the configured signal), one log line of job counters. */
package org.jobhost.signalstats;
