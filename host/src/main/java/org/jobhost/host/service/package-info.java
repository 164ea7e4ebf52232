/**
 * Running as a service: the lifecycle state machine, the locked PID file, the control socket's
 * server ({@link org.jobhost.host.service.ControlServer}; what it answers is in {@code control}),
 * the start in the background ({@link org.jobhost.host.service.Detacher}), the switch to an
 * unprivileged user, and systemd's notify protocol, composed by {@link
 * org.jobhost.host.service.ServiceRuntime}.
 */
package org.jobhost.host.service;
