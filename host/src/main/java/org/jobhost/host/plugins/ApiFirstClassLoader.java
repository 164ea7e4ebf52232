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
        || super.shouldDelegateToParent(className);
  }
}
