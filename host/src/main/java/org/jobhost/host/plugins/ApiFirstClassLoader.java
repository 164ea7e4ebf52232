package org.jobhost.host.plugins;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin class loader that always takes the plugin API, slf4j and picocli (the parser of plugin
 * commands, see {@code CliCommand}) from the host, even when a plugin bundles its own copy (which
 * would otherwise give the plugin's classes a different identity than the host's, and contribute
 * nothing). Thread-safe as its parent.
 *
 * <p>The SQLite JDBC driver ({@code org.sqlite}) comes from the host too. Each class loader that
 * loads the driver loads its own copy of the native SQLite library, and two copies in one process
 * do not see each other's POSIX locks on a database file: two plugins writing the same database
 * (the cron worklog and the SQLite queue share {@code jobhost.db}) then lose committed writes. With
 * the host's driver there is one SQLite per process, whatever the plugins bundle.
 */
final class ApiFirstClassLoader extends PluginClassLoader {

  ApiFirstClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
    super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
  }

  @Override
  protected boolean shouldDelegateToParent(String className) {
    return className.startsWith("org.jobhost.api.")
        || className.startsWith("org.slf4j.")
        || className.startsWith("picocli.")
        || className.startsWith("org.sqlite.")
        || super.shouldDelegateToParent(className);
  }
}
