package org.jobhost.testkit;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A plugin jar's class loader as the host builds it: the plugin API, pf4j, slf4j and picocli come
 * from the host (here: the test's class path), everything else from the jar alone, so that a
 * library the jar does not contain is missing here as it would be in the daemon.
 */
final class PluginClassLoader extends URLClassLoader {

  private static final String[] FROM_HOST = {
    "org.jobhost.api.", "org.pf4j.", "org.slf4j.", "picocli."
  };

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader host;

  PluginClassLoader(URL jar, ClassLoader host) {
    super(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    this.host = host;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    for (String prefix : FROM_HOST) {
      if (name.startsWith(prefix)) {
        return host.loadClass(name);
      }
    }
    return super.loadClass(name, resolve);
  }
}
