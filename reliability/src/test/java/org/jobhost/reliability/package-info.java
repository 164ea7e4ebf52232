/**
 * The reliability suite: whole-process tests of the assembled tree under faults (SIGKILL, signal
 * storms, bad input, a full or read-only disk) and load (soak). Each writes its figures to {@code
 * target/reliability}; {@code reliability/README.md} quotes them.
 */
package org.jobhost.reliability;
