package org.jobhost.host.plugins;

import java.nio.file.Path;
import java.util.List;
import org.pf4j.BasePluginLoader;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pf4j's manager with the host's class loader and a one-plugin-at-a-time load that reports the
 * reason for a failure instead of only logging it. Not thread-safe: used on the start-up thread.
 */
final class HostPluginManager extends DefaultPluginManager {

  private static final Logger log = LoggerFactory.getLogger(HostPluginManager.class);

  HostPluginManager(Path pluginsDir, String apiVersion) {
    super(pluginsDir);
    setSystemVersion(apiVersion);
  }

  /**
   * pf4j's two descriptor finders (plugin.properties, then the manifest), without pf4j's logging of
   * a whole stack trace when neither applies: the host reports the reason in one line instead (and
   * the trace at debug).
   */
  @Override
  protected PluginDescriptorFinder createPluginDescriptorFinder() {
    List<PluginDescriptorFinder> finders =
        List.of(new PropertiesPluginDescriptorFinder(), new ManifestPluginDescriptorFinder());
    return new PluginDescriptorFinder() {
      @Override
      public boolean isApplicable(Path path) {
        return finders.stream().anyMatch(f -> f.isApplicable(path));
      }

      @Override
      public PluginDescriptor find(Path path) {
        for (PluginDescriptorFinder f : finders) {
          if (!f.isApplicable(path)) {
            continue;
          }
          try {
            PluginDescriptor d = f.find(path);
            if (d != null) {
              return d;
            }
          } catch (RuntimeException e) {
            log.debug("{} finds no plugin descriptor in {}", f.getClass().getSimpleName(), path, e);
          }
        }
        throw new PluginRuntimeException("No PluginDescriptorFinder for plugin '{}'", path);
      }
    };
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

  /**
   * The {@code Plugin-Id} a jar, expanded zip or directory declares, read without loading it;
   * {@code null} when none can be read (the load reports why).
   */
  String idOf(Path path) {
    try {
      PluginDescriptorFinder finder = getPluginDescriptorFinder();
      if (!finder.isApplicable(path)) {
        return null;
      }
      String id = finder.find(path).getPluginId();
      return id == null || id.isBlank() ? null : id;
    } catch (RuntimeException e) {
      log.debug("no Plugin-Id readable in {}: {}", path, e.toString());
      return null;
    }
  }

  boolean versionAccepted(PluginWrapper w) {
    return isPluginValid(w);
  }
}
