/**
 * The command line: {@code jobhost run|plugins|signals|check|version} and the subcommands that
 * plugins contribute through {@link org.jobhost.api.CliCommand}.
 */
package org.jobhost.host.cli;
