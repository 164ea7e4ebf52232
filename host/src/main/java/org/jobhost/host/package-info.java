/**
 * The composition root: {@link org.jobhost.host.Main} parses the command line and {@link
 * org.jobhost.host.Daemon} wires configuration, plugins, dispatcher and signals with {@code new}.
 */
package org.jobhost.host;
