package org.jobhost.dist.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and {@code plugins} start every extension as the daemon does: a plugin whose {@code
 * init} throws is a problem, not "loaded"; the host's {@code enabled} key never reaches the
 * plugin's own validation; the shipped configuration passes.
 */
class CheckSeesWhatTheDaemonSeesIT {

  @TempDir Path dir;

  private Path config(Path plugins, String section) {
    return HostConfig.bare(dir, plugins, "", "[plugins.strict-one]", section).file();
  }

  /**
   * The configuration the tree ships (the quick start's) passes {@code check}: its cron and queue
   * views and the dashboard keep the daemon's {@code Host} for later, and get one, as in a daemon.
   */
  @Test
  void theShippedConfigurationPassesCheck() throws Exception {
    String shipped =
        Files.readString(Tree.root().resolve("conf/jobhost.toml"))
            .replace(
                "[plugins.spool]\n", "[plugins.spool]\ndir = \"" + dir.resolve("spool") + "\"\n");
    Path file = dir.resolve("shipped.toml");
    Files.writeString(file, HostConfig.directories(dir, Tree.root().resolve("plugins")) + shipped);

    Cli check = Cli.jobhost(file, "check");

    assertThat(check.code()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).containsPattern("all \\d+ plugins ok").doesNotContain("problem");
  }

  @Test
  void anInitFailureIsAProblemInOneLineAndEnabledNeverReachesThePlugin() throws Exception {
    Path plugins =
        OneClassPlugin.build(dir, "strict-one", "SignalHook", "org.jobhost.test.strict.Hook", HOOK);

    Path missing = config(plugins, "enabled = true");
    Cli list = Cli.jobhost(missing, "plugins");
    Cli check = Cli.jobhost(missing, "check");

    assertThat(list.out())
        .startsWith("plugins in " + plugins + " as a daemon would load them")
        .containsPattern("strict-one +1\\.0\\.0 +degraded")
        .contains(
            "problem   org.jobhost.test.strict.Hook failed to start: plugins.strict-one.url is"
                + " required (")
        .doesNotContain("SettingsException");
    assertThat(check.code()).isEqualTo(1);

    Path good = config(plugins, "enabled = true\nurl = \"http://example.org\"");
    Cli ok = Cli.jobhost(good, "check");

    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("all ").doesNotContain("enabled is not a known setting");
  }

  private static final String HOOK =
      """
      package org.jobhost.test.strict;

      import java.util.Set;
      import org.jobhost.api.Host;
      import org.jobhost.api.PluginContext;
      import org.jobhost.api.PluginSettings;
      import org.jobhost.api.Signal;
      import org.jobhost.api.SignalEvent;
      import org.jobhost.api.SignalHook;

      public final class Hook implements SignalHook {
        @Override public void init(PluginContext context) {
          PluginSettings s = context.settings();
          s.requireOnly(Set.of("url"));
          if (s.string("url").isEmpty()) {
            throw s.invalid("url", "is required");
          }
        }
        @Override public Set<Signal> signals() { return Set.of(Signal.USR2); }
        @Override public void onSignal(SignalEvent event, Host host) {}
      }
      """;
}
