/**
 * Small helpers shared by the command-line subcommands of the bundled plugins that use the store
 * (cron, queue): argument parsing and JSON output.
 */
package org.jobhost.store.cli;
