/**
 * Running as a service: the lifecycle state machine and the daemon's outward face — the locked PID
 * file, the control socket and its protocol, the start in the background ({@link
 * org.jobhost.host.service.Detacher}), the switch to an unprivileged user, and systemd's notify
 * protocol, composed by {@link org.jobhost.host.service.ServiceRuntime}.
 */
package org.jobhost.host.service;
