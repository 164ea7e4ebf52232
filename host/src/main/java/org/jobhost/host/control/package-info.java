/**
 * Talking to the running daemon: the line protocol of its control socket ({@link
 * org.jobhost.host.control.ControlProtocol}), the client the command line uses ({@link
 * org.jobhost.host.control.ControlClient}), and the daemon's side of each request ({@link
 * org.jobhost.host.control.ControlRequests}, which reads the daemon through {@link
 * org.jobhost.host.control.DaemonControl}): status, the jobs running now, the plugin reports and
 * {@code jobhost top}'s snapshot. The socket itself is served by {@code service.ControlServer}.
 */
package org.jobhost.host.control;
