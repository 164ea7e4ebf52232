/**
 * Logging: the set-up every process starts with ({@link
 * org.jobhost.host.logging.CommandLineLogging}), the daemon's from the installation's {@code
 * conf/logback.xml} ({@link org.jobhost.host.logging.LogSetup}, reopened on USR1; while the file is
 * as shipped, set up in code by {@link org.jobhost.host.logging.ShippedLogging}), the text, JSON
 * and journal styles ({@link org.jobhost.host.logging.LogStyle}), and the escaping that keeps one
 * event on one line ({@link org.jobhost.host.logging.LogEscaping}).
 */
package org.jobhost.host.logging;
