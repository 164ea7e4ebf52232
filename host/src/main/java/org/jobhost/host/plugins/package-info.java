/**
 * Plugin loading with pf4j: jars and zips from {@code plugins_dir}, one at a time so a broken one
 * cannot stop the rest; extensions found through {@code META-INF/services/org.jobhost.api.*} and
 * pf4j's {@code @Extension} index, in plugins and on the host's own classpath; every call into a
 * plugin goes through {@link org.jobhost.host.plugins.FaultBoundary}.
 */
package org.jobhost.host.plugins;
