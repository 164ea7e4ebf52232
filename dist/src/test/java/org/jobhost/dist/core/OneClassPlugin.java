package org.jobhost.dist.core;

import java.io.IOException;
import java.nio.file.Path;
import org.jobhost.testsupport.PluginJar;

/** Builds the plugins directory of a test that needs one plugin made of one class. */
final class OneClassPlugin {

  private OneClassPlugin() {}

  /**
   * Builds the plugin {@code id} into {@code <dir>/plugins} and returns that directory: its one
   * class {@code className}, compiled from {@code code} against the tree's {@code lib/}, is listed
   * under the extension point {@code point} (a simple name such as {@code "SignalHook"} is one of
   * {@code org.jobhost.api}).
   */
  static Path build(Path dir, String id, String point, String className, String code)
      throws IOException {
    Path plugins = dir.resolve("plugins");
    PluginJar.forTree(id).source(className, code).service(point, className).build(plugins);
    return plugins;
  }
}
