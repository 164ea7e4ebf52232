/**
 * Running as a service: the lifecycle state machine, log files (set up from {@code
 * conf/logback.xml}, reopened on USR1), and the daemon's outward face.
 */
package org.jobhost.host.service;
