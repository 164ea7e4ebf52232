/**
 * The command line: {@code jobhost run|plugins|signals|check|version}, the service commands ({@code
 * start|stop|status|reload|pause|resume|resize|reopen-logs|kill}) and the subcommands that plugins
 * contribute through {@link org.jobhost.api.CliCommand}.
 */
package org.jobhost.host.cli;
