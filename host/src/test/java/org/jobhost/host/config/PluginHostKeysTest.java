package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.PluginSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostKeysTest {

  @TempDir Path home;

  private Config load(String toml) throws Exception {
    Path file = home.resolve("jobhost.toml");
    Files.writeString(file, toml, StandardCharsets.UTF_8);
    return new ConfigLoader(home, Map.of()).load(file, List.of());
  }

  @Test
  void enabledIsTheHostsAndNeverReachesThePluginsOwnValidation() throws Exception {
    Config c =
        load(
            "[plugins.acme]\n"
                + "enabled = true\n"
                + "plugin_file = \"acme-2.jar\"\n"
                + "url = \"http://x\"\n"
                + "rate = \"fast\"\n");

    PluginSettings s = c.pluginSettings("acme");

    assertThat(c.pluginEnabled("acme")).isTrue();
    assertThat(c.pluginFile("acme")).isEqualTo("acme-2.jar");
    assertThat(s.keys()).containsExactlyInAnyOrder("url", "rate");
    assertThatCode(() -> s.requireOnly(Set.of("url", "rate"))).doesNotThrowAnyException();
    assertThat(s.string("url")).contains("http://x");
  }

  @Test
  void aPluginsOwnSettingStillNamesItsFileAndLine() throws Exception {
    Config c = load("[plugins.acme]\nenabled = true\nrate = \"fast\"\n");

    assertThat(c.pluginSettings("acme").invalid("rate", "must be a number").getMessage())
        .isEqualTo(
            "plugins.acme.rate must be a number (" + home.resolve("jobhost.toml") + " line 3)");
  }
}
