/**
 * Plugin loading with pf4j: jars and zips from {@code plugins_dir}, one at a time so a broken one
 * cannot stop the rest; extensions found through {@code META-INF/services/org.jobhost.api.*} and
 * pf4j's {@code @Extension} index, in plugins and on the host's own classpath; every call into a
 * plugin goes through {@link org.jobhost.host.plugins.FaultBoundary}. A rescan of a running
 * daemon's {@code plugins_dir} is planned by {@code PluginPlan} (what was added, changed, removed)
 * and applied by {@link org.jobhost.host.plugins.HotPlugins} (drain, unload, load, bind again).
 */
package org.jobhost.host.plugins;
