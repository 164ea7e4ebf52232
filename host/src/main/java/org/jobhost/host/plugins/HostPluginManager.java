package org.jobhost.host.plugins;

import java.nio.file.Path;
import org.pf4j.BasePluginLoader;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginWrapper;

/**
 * pf4j's manager with the host's class loader and a one-plugin-at-a-time load that reports the
 * reason for a failure instead of only logging it. Not thread-safe: used on the start-up thread.
 */
final class HostPluginManager extends DefaultPluginManager {

  HostPluginManager(Path pluginsDir, String apiVersion) {
    super(pluginsDir);
    setSystemVersion(apiVersion);
  }

  @Override
  protected PluginLoader createPluginLoader() {
    ClassLoader parent = HostPluginManager.class.getClassLoader();
    return new CompoundPluginLoader()
        .add(
            new JarPluginLoader(this) {
              @Override
              protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                return new ApiFirstClassLoader(pluginManager, d, parent);
              }
            })
        .add(
            new BasePluginLoader(this, new DefaultPluginClasspath()) {
              @Override
              protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                return new ApiFirstClassLoader(pluginManager, d, parent);
              }
            });
  }

  /**
   * Loads and resolves one plugin; throws pf4j's {@code PluginRuntimeException} with the reason.
   */
  PluginWrapper loadOne(Path path) {
    PluginWrapper w = loadPluginFromPath(path);
    try {
      resolvePlugins();
    } catch (RuntimeException e) {
      unloadPlugin(w.getPluginId(), false);
      throw e;
    }
    return w;
  }

  boolean versionAccepted(PluginWrapper w) {
    return isPluginValid(w);
  }
}
