/**
 * The composition root: {@link org.jobhost.host.Main} parses the command line and {@link
 * org.jobhost.host.Daemon} wires configuration, plugins, dispatcher and signals with {@code new},
 * runs and stops. Beside it, each a small class of its own: what the daemon's threads share ({@code
 * DaemonState}), the {@code Host} plugins steer it by ({@code HostControl}), what the service layer
 * sees ({@code Control}), reloads ({@code Reloader}), listener fan-out ({@code Listeners}), the
 * built-in signal actions and hook installation, and the {@link
 * org.jobhost.host.DefaultPluginContext} every kind of jobhost process hands to plugins.
 */
package org.jobhost.host;
