/**
 * Whole-process tests of the daemon core: stray signals and signal storms, start-up refusals, the
 * process-group record.
 */
package org.jobhost.dist.core;
