/**
 * Small helpers shared by the command-line subcommands of the bundled plugins that use the store
 * (cron, queue): JSON output. Their arguments are parsed by picocli, which the host provides.
 */
package org.jobhost.store.cli;
