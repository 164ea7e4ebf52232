/**
 * Small helpers shared by the command-line subcommands of the bundled plugins that use the store
 * (cron, queue): the picocli mixins of the options they have in common ({@link JobOptions}, {@link
 * JsonOption}, {@link RowLimit}) and JSON output. Their arguments are parsed by picocli, which the
 * host provides.
 */
package org.jobhost.store.cli;
